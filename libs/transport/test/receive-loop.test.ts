import { describe, expect, it } from 'vitest';
import { Pull, Push } from 'zeromq';
import { BULK_YIELD_EVERY, receiveLoop } from '../src/index.js';
import { until } from './helpers.js';

// inproc sockets: a send makes the peer readable at once, with no I/O thread in between, so where the
// order lands in the backlog depends only on the receive loop.
async function backlogThenOrder(yieldEvery: number): Promise<number> {
  const id = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const [bulkOut, bulkIn, orderOut, orderIn] = [new Push(), new Pull(), new Push(), new Pull()];
  await bulkIn.bind(`inproc://bulk-${id}`);
  bulkOut.connect(`inproc://bulk-${id}`);
  await orderIn.bind(`inproc://order-${id}`);
  orderOut.connect(`inproc://order-${id}`);
  const BACKLOG = 2_000;
  for (let i = 0; i < BACKLOG; i++) await bulkOut.send(Buffer.from([1]));
  let handled = 0;
  let handledWhenOrderCame = -1;
  const orders = receiveLoop(orderIn, 'test-orders', () => (handledWhenOrderCame = handled));
  const bulk = receiveLoop(
    bulkIn,
    'test-bulk',
    () => {
      if (++handled === 1) void orderOut.send('order');
      const end = performance.now() + 0.02; // 20 µs of work per message, like a tick handler
      while (performance.now() < end);
    },
    undefined,
    yieldEvery,
  );
  await until(() => handled === BACKLOG && handledWhenOrderCame >= 0, 10_000);
  for (const s of [bulkOut, bulkIn, orderOut, orderIn]) s.close();
  await Promise.all([orders, bulk]);
  return handledWhenOrderCame;
}

describe('receiveLoop', () => {
  it('a bulk stream works through a backlog in slices: an order on another socket is handled within two slices of arriving', async () => {
    const at = await backlogThenOrder(BULK_YIELD_EVERY);
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThanOrEqual(1 + 2 * BULK_YIELD_EVERY);
  });

  it('without slices the order waits behind hundreds of queued messages (what zeromq.js does by itself)', async () => {
    expect(await backlogThenOrder(0)).toBeGreaterThan(100);
  });
});
