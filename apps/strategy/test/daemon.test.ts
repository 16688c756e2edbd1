// The strategy daemon as a real process; the test plays market-data (PUB ticks/books), risk (ROUTER
// on the orders endpoint) and the OMS (PUB of the order-event stream).
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeBookSnapshot, encodeMessage, envelope, nowNs, topics, type SubmitOrder } from '@hft/messages';
import { platformEnv, startDaemon, until, type DaemonProcess } from '@hft/testing';
import { Publisher, RouterServer } from '@hft/transport';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});


describe('strategy daemon (real process)', () => {
  it('quotes from published books, records risk denials and fills from the order-event stream, and reports positions over HTTP', async () => {
    const p = await platformEnv();
    const books = new Publisher({ stream: 'books', endpoint: p.endpoint.books, linger: 0 });
    const ticks = new Publisher({ stream: 'ticks', endpoint: p.endpoint.ticks, linger: 0 });
    const reports = new Publisher({ stream: 'order_events', endpoint: p.endpoint.order_events, linger: 0 });
    const orders: { peer: Buffer; msg: SubmitOrder }[] = [];
    const risk = new RouterServer({ stream: 'orders', endpoint: p.endpoint.orders, linger: 0 });
    for (const pub of [books, ticks, reports]) {
      await pub.bind();
      closers.push(() => pub.close());
    }
    await risk.start((peer, body) => {
      const m = decodeMessage(body, ['SubmitOrder']);
      if (m.ok) orders.push({ peer, msg: m.value });
    });
    closers.push(() => risk.close());
    const d: DaemonProcess = startDaemon('strategy', ['--strategies', 'mm_aapl'], p.env);
    closers.push(() => d.stop());
    await d.ready(p.http.strategy);
    expect(await books.waitForSubscribers(topics.book('AAPL'), 1, 10_000)).toBe(true);
    expect(await reports.waitForSubscribers(topics.orderEvents('mm_aapl'), 1, 10_000)).toBe(true);

    const t = nowNs();
    books.publish(
      topics.book('AAPL'),
      encodeBookSnapshot({ symbol: 'AAPL', seq: 1, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [18740, 500], bidLevels: 1, asks: [18750, 500], askLevels: 1 }),
    );
    await until(() => orders.length >= 2, 'two quotes');
    const bid = orders.find((o) => o.msg.side === 'buy')!;
    const ask = orders.find((o) => o.msg.side === 'sell')!;
    expect(bid.msg.tsTick).toBe(t);
    // Risk denies the bid (back over the same ROUTER); the OMS stream carries the ask's life.
    risk.send(bid.peer, encodeMessage({ type: 'OrderDenied', ...envelope(bid.msg), strategyId: 'mm_aapl', clientOrderId: bid.msg.clientOrderId, symbol: 'AAPL', orderId: null, code: 'max_position', reason: 'position limit', values: { limit: 0 } }));
    const base = { strategyId: 'mm_aapl', clientOrderId: ask.msg.clientOrderId, symbol: 'AAPL', orderId: 7 };
    const { type: _t, eventId: _e, tsInit: _i, causationId: _c, ...fields } = ask.msg;
    const stream = (msg: Record<string, unknown>) => reports.publish(topics.orderEvents('mm_aapl'), encodeMessage(msg as never));
    stream({ ...fields, type: 'OrderSubmitted', ...envelope(ask.msg), seq: 1, orderId: 7 });
    stream({ type: 'OrderAccepted', ...envelope(ask.msg), seq: 2, ...base, side: 'sell', price: ask.msg.price, quantity: 100, tsTick: t });
    stream({ type: 'OrderFilled', ...envelope(ask.msg), seq: 3, ...base, execId: 'X1', side: 'sell', lastPx: ask.msg.price!, lastQty: 100, cumQty: 100, leavesQty: 0, avgPx: ask.msg.price!, liquidity: 'maker', fee: 0.5, tsTick: t });
    type Status = { id: string; positions: { symbol: string; qty: number; avgPx: number; fees: number }[]; openOrders: unknown[] }[];
    let s: Status = [];
    const end = Date.now() + 10_000;
    while (s[0]?.positions[0]?.qty !== -100 && Date.now() < end) {
      s = (await (await fetch(`http://127.0.0.1:${p.http.strategy}/api/strategies`)).json()) as Status;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(s[0]).toMatchObject({ id: 'mm_aapl', positions: [{ symbol: 'AAPL', qty: -100, avgPx: ask.msg.price, fees: 0.5 }], openOrders: [] });
    const metrics = await (await fetch(`http://127.0.0.1:${p.http.strategy}/metrics`)).text();
    expect(metrics).toContain('hft_strategy_denials_total{strategy="mm_aapl",check="max_position",daemon="strategy"} 1');
    expect(metrics).toContain('hft_strategy_position{strategy="mm_aapl",symbol="AAPL",daemon="strategy"} -100');
    expect(await d.stop()).toBe(0);
  });

  it('refuses to start with invalid strategy parameters, naming them', async () => {
    const p = await platformEnv({ HFT__STRATEGY__PARAMS__MM_AAPL__SPREAD_BPS: '-1' });
    const d = startDaemon('strategy', [], p.env);
    expect(await d.exited).toBe(2);
    expect(d.stderr()).toContain('HFT_STRATEGY_PARAMS: [strategy.params.mm_aapl] is invalid: spread_bps');
  });
});
