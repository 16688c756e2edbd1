import { afterEach, describe, expect, it } from 'vitest';
import { Publisher, Subscriber } from '../src/index.js';
import { metricValue, until } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function publisher(stream: string, hwm?: number): Promise<Publisher> {
  const p = new Publisher({ stream, endpoint: 'tcp://127.0.0.1:*', highWaterMark: hwm, linger: 0 });
  await p.bind();
  closers.push(() => p.close());
  return p;
}

describe('Publisher / Subscriber', () => {
  it('waits for subscribers, then delivers every message in order with exact topic matching', async () => {
    const pub = await publisher('t_ticks');
    expect(await pub.waitForSubscribers('md.tick.BTC', 1, 50)).toBe(false);
    const got: string[] = [];
    const sub = new Subscriber({ stream: 't_ticks', endpoint: pub.boundEndpoint, topics: ['md.tick.BTC'] });
    sub.start((topic, [body]) => got.push(`${topic}:${body!.toString()}`));
    closers.push(() => sub.close());
    expect(await pub.waitForSubscribers('md.tick.BTC', 1, 5000)).toBe(true);
    for (let i = 0; i < 1000; i++) {
      pub.publish('md.tick.BTC', String(i));
      pub.publish('md.tick.BTC-USDT', 'other');
    }
    await until(() => got.length >= 1000);
    expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => `md.tick.BTC:${i}`));
    expect(pub.subscriberCount('md.tick.BTC')).toBe(1);
    expect(pub.subscriberCount('md.book.BTC')).toBe(0);
  });

  it('a consumer names itself after its topics: once the name is seen, every topic is, on the first connection and after a reconnect', async () => {
    // Topics on either side of '~' in byte order and added in no order, the way a daemon subscribes.
    const wanted = [...Array.from({ length: 150 }, (_, i) => `md.tick.S${i}.`), 'orders.z.', 'a.', 'zz.top.', '}.', 'md.book.S1.'];
    // (No topic a prefix of another, so a count per topic is that topic's own subscription.)
    const probe = await publisher('t_ready_probe');
    const endpoint = probe.boundEndpoint;
    await probe.close();
    // Subscribed before anything listens there, as a daemon started before market-data is.
    const sub = new Subscriber({ stream: 't_ready', endpoint, topics: wanted, consumer: 'c1' });
    sub.start(() => {});
    closers.push(() => sub.close());
    for (const round of ['first connection', 'after the publisher restarted']) {
      const pub = new Publisher({ stream: 't_ready', endpoint, linger: 0 });
      // The port was just released: bind as soon as the OS lets go of it.
      for (let i = 0; ; i++) {
        try {
          await pub.bind();
          break;
        } catch (e) {
          if (i > 100) throw e;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(pub.missingConsumers(['c1', 'c2'])).toEqual(['c1', 'c2']);
      expect(await pub.waitForConsumers(['c1'], 10_000), round).toEqual([]);
      expect(wanted.filter((t) => pub.subscriberCount(t) === 0), round).toEqual([]);
      expect(await pub.waitForConsumers(['c1', 'c2'], 50), round).toEqual(['c2']);
      await pub.close();
    }
  });

  it('counts messages refused at the high-water mark instead of losing them silently', async () => {
    const pub = await publisher('t_hwm', 10);
    // A subscriber that never reads: its buffers fill, then sends hit the high-water mark.
    const { Subscriber: Raw } = await import('zeromq');
    const stalled = new Raw({ receiveHighWaterMark: 10 });
    stalled.connect(pub.boundEndpoint);
    stalled.subscribe('x');
    closers.push(async () => stalled.close());
    expect(await pub.waitForSubscribers('x', 1, 5000)).toBe(true);
    const payload = Buffer.alloc(64 * 1024);
    const total = 2000;
    for (let i = 0; i < total; i++) pub.publish('x', payload);
    await pub.drain();
    const sent = await metricValue('hft_zmq_sent_total', { stream: 't_hwm' });
    const dropped = await metricValue('hft_zmq_send_dropped_total', { stream: 't_hwm', reason: 'hwm' });
    expect(dropped).toBeGreaterThan(0);
    expect(sent + dropped).toBe(total);
  });

  it('keeps delivering after a handler throws, and counts it', async () => {
    const pub = await publisher('t_err');
    const got: number[] = [];
    const errors: unknown[] = [];
    const sub = new Subscriber({
      stream: 't_err',
      endpoint: pub.boundEndpoint,
      topics: ['a'],
      onHandlerError: (e) => errors.push(e),
    });
    sub.start((_t, [body]) => {
      const n = Number(body!.toString());
      if (n === 2) throw new Error('boom');
      got.push(n);
    });
    closers.push(() => sub.close());
    await pub.waitForSubscribers('a', 1, 5000);
    for (let i = 0; i < 5; i++) pub.publish('a', String(i));
    await until(() => got.length === 4);
    expect(got).toEqual([0, 1, 3, 4]);
    expect(errors).toHaveLength(1);
    expect(await metricValue('hft_handler_errors_total', { stream: 't_err' })).toBe(1);
  });

  it('reports frames of the wrong shape', async () => {
    const pub = await publisher('t_shape');
    const bad: Buffer[][] = [];
    const sub = new Subscriber({ stream: 't_shape', endpoint: pub.boundEndpoint, topics: ['a'], onBadFrames: (f) => bad.push(f) });
    const good: string[] = [];
    sub.start((_t, [b]) => good.push(b!.toString()));
    closers.push(() => sub.close());
    await pub.waitForSubscribers('a', 1, 5000);
    pub.publish('a', 'x', 'extra');
    pub.publish('a', 'ok');
    await until(() => good.length === 1);
    expect(bad).toHaveLength(1);
  });
});
