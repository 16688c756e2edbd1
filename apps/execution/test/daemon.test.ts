// The execution daemon as a real process: the test plays market data (PUB) and the OMS (DEALER with
// the OMS's identity), which gets every execution report back on the same socket.
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { encodeBookSnapshot, envelope, nowNs, topics, type Message } from '@hft/messages';
import { platformEnv, startDaemon, until } from '@hft/testing';
import { CommandClient, Publisher } from '@hft/transport';

const log = createLogger({ daemon: 'exec-test', level: 'silent' });

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('execution daemon (real process)', () => {
  it('fills against the replayed book after the configured latency, reports to the OMS in order, answers status queries', async () => {
    const p = await platformEnv({ HFT__EXECUTION__LATENCY_MIN_US: '3000', HFT__EXECUTION__LATENCY_MAX_US: '4000' });
    const books = new Publisher({ stream: 'books', endpoint: p.endpoint.books, linger: 0 });
    await books.bind();
    closers.push(() => books.close());
    const d = startDaemon('execution', [], p.env);
    closers.push(() => d.stop());
    await d.ready(p.http.execution);
    const reports: { msg: Message; at: number }[] = [];
    const replies: Message[] = [];
    const oms = new CommandClient('venue', { endpoint: p.endpoint.venue, log, identity: 'oms' }).start((m) => {
      if (m.type === 'OrderStatusReported') replies.push(m);
      else reports.push({ msg: m, at: performance.now() });
    });
    closers.push(() => oms.close());
    expect(await books.waitForSubscribers(topics.book('AAPL'), 1, 10_000)).toBe(true);
    const t = nowNs();
    books.publish(topics.book('AAPL'), encodeBookSnapshot({ symbol: 'AAPL', seq: 1, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [10000, 100], bidLevels: 1, asks: [10001, 60, 10002, 100], askLevels: 2 }));
    await new Promise((r) => setTimeout(r, 300));
    const sentAt = performance.now();
    oms.send({ type: 'VenueSubmitOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'c1', symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'ioc', price: 100.02, quantity: 100, tsTick: t, orderId: 42 });
    await until(() => reports.length >= 3, 'reports');
    expect(reports.map((r) => r.msg.type)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(reports.slice(1).map((r) => [(r.msg as { lastPx: number }).lastPx, (r.msg as { lastQty: number }).lastQty])).toEqual([
      [100.01, 60],
      [100.02, 40],
    ]);
    expect(reports[0]!.msg).toMatchObject({ orderId: 42, tsTick: t });
    // The venue latency was applied before the order reached the engine.
    expect(reports[0]!.at - sentAt).toBeGreaterThanOrEqual(3);
    oms.send({ type: 'QueryOrderStatus', ...envelope(), orderId: 42, strategyId: 'mm', clientOrderId: 'c1', symbol: 'AAPL' });
    const status = await until(() => replies.find((m) => m.type === 'OrderStatusReported'), 'status');
    expect(status).toMatchObject({ status: 'Filled', cumQty: 100, fills: [{ lastQty: 60 }, { lastQty: 40 }] });
    const metrics = await (await fetch(`http://127.0.0.1:${p.http.execution}/metrics`)).text();
    expect(metrics).toContain('hft_exec_fills_total{symbol="AAPL",liquidity="taker",daemon="execution"} 2');
    expect(metrics).toMatch(/hft_exec_venue_latency_seconds_bucket\{le="0\.002048",daemon="execution"\} 0/);
  });
});
