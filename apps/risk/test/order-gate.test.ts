import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { envelope, type MessageInput, type SubmitOrder } from '@hft/messages';
import { until } from '@hft/testing';
import { OrderGate } from '../src/order-gate.js';
import { ReferencePrices } from '../src/reference-prices.js';
import { riskMetrics } from '../src/risk-metrics.js';
import { REDIS_URL, store } from './store-harness.js';

let h: Awaited<ReturnType<typeof store>>;
let admin: Redis;
beforeEach(async () => {
  h = await store();
  admin = new Redis(REDIS_URL);
});
afterEach(async () => {
  await admin.call('CLIENT', 'UNPAUSE');
  admin.disconnect();
  await h.drop();
});

it('a check that times out is denied, and if it passes in Redis afterwards its reservation is released', async () => {
  const refs = new ReferencePrices();
  refs.seed(new Map([['AAPL', 100]]));
  const toOms: unknown[] = [];
  const denied: MessageInput<'OrderDenied'>[] = [];
  const m = riskMetrics();
  const released = async (): Promise<number> => (await m.lateReleased.get()).values[0]?.value ?? 0;
  const before = await released();
  const gate = new OrderGate(h.s, refs, { toOms: (msg) => toOms.push(msg) > 0, toStrategy: (msg) => denied.push(msg) }, m, createLogger({ daemon: 'risk-test', level: 'silent' }), 100);
  const o = { type: 'SubmitOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'slow-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', price: 100, quantity: 100, tsTick: null } as SubmitOrder;

  // Redis holds every write for 400 ms: the check script runs only after the gate gave up on it.
  await admin.call('CLIENT', 'PAUSE', '400', 'WRITE');
  const r = await gate.submit(o);
  expect(r).toMatchObject({ ok: false, check: 'risk_state_unavailable' });
  expect(denied.map((d) => d.clientOrderId)).toEqual(['slow-1']);
  expect(toOms).toEqual([]);

  await until(async () => (await released()) === before + 1, 'the late reservation released', 5000);
  const pos = (await h.s.positions()).find((p) => p.strategy === 'mm' && p.symbol === 'AAPL');
  expect({ buy: pos?.workingBuy ?? 0, sell: pos?.workingSell ?? 0 }).toEqual({ buy: 0, sell: 0 });
  expect(await admin.exists(`${h.prefix}order:mm:slow-1`)).toBe(0);
  gate.close();
});
