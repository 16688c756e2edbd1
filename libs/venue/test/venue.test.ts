import { describe, expect, it } from 'vitest';
import { Aggressor, envelope, REJECT_CODES } from '@hft/messages';
import { allRejectNames } from '@hft/native';
import { book, fills, last, order, trade, venue } from './venue-harness.js';

describe('exchange simulator: taking the replayed market', () => {
  it('walks the book level by level with partial fills, then rests the rest on its limit', () => {
    const { v, reports } = venue();
    v.onBook(book([[100.0, 500]], [[100.01, 100], [100.02, 200], [100.03, 300]]));
    const a = order({ side: 'buy', quantity: 250, price: 100.02 });
    v.submit(a);
    expect(fills(reports, a.orderId)).toEqual([
      [100.01, 100, 'taker'],
      [100.02, 150, 'taker'],
    ]);
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderFilled', leavesQty: 0, cumQty: 250, avgPx: 100.016 });
    const b = order({ side: 'buy', quantity: 400, price: 100.03 });
    v.submit(b);
    expect(fills(reports, b.orderId)).toEqual([
      [100.02, 50, 'taker'],
      [100.03, 300, 'taker'],
    ]);
    expect(last(reports, b.orderId)).toMatchObject({ type: 'OrderFilled', leavesQty: 50 });
    expect(v.ourResting().get('AAPL')).toBe(1);
  });

  it('remembers what we took: the same snapshot again does not bring it back', () => {
    const { v, reports } = venue();
    v.onBook(book([[100.0, 500]], [[100.01, 100]]));
    v.submit(order({ side: 'buy', quantity: 100, price: 100.01, timeInForce: 'ioc' }));
    v.onBook(book([[100.0, 500]], [[100.01, 100]]));
    const again = order({ side: 'buy', quantity: 10, price: 100.01, timeInForce: 'ioc' });
    v.submit(again);
    expect(fills(reports, again.orderId)).toEqual([]);
    expect(last(reports, again.orderId)).toMatchObject({ type: 'OrderExpired', expiredQty: 10 });
    // Once the market trades at that price, the level is the market's again.
    v.onTick(trade(100.01, 1, Aggressor.Buyer));
    v.onBook(book([[100.0, 500]], [[100.01, 100]]));
    const third = order({ side: 'buy', quantity: 10, price: 100.01, timeInForce: 'ioc' });
    v.submit(third);
    expect(fills(reports, third.orderId)).toEqual([[100.01, 10, 'taker']]);
  });

  it('market orders take what there is and expire the rest; IOC limits likewise', () => {
    const { v, reports } = venue();
    v.onBook(book([[99.99, 50], [99.98, 70]], [[100.01, 10]]));
    const m = order({ side: 'sell', quantity: 200, orderType: 'market', price: null });
    v.submit(m);
    expect(fills(reports, m.orderId)).toEqual([
      [99.99, 50, 'taker'],
      [99.98, 70, 'taker'],
    ]);
    expect(last(reports, m.orderId)).toMatchObject({ type: 'OrderExpired', expiredQty: 80, cumQty: 120 });
  });
});

describe('exchange simulator: resting orders and the queue-position model', () => {
  it('fills a resting bid only after the market size ahead of it has traded, and keeps its place ahead of size that joins later', () => {
    const { v, reports } = venue();
    v.onBook(book([[100.0, 300]], [[100.02, 300]]));
    const mine = order({ side: 'buy', quantity: 100, price: 100.0, postOnly: true });
    v.submit(mine);
    expect(last(reports, mine.orderId)).toMatchObject({ type: 'OrderAccepted' });
    v.onTick(trade(100.0, 200, Aggressor.Seller));
    expect(fills(reports, mine.orderId)).toEqual([]);
    v.onTick(trade(100.0, 150, Aggressor.Seller));
    expect(fills(reports, mine.orderId)).toEqual([[100.0, 50, 'maker']]);
    // 400 at the level now: 400 - 0 left of the market's old size joins behind us.
    v.onBook(book([[100.0, 400]], [[100.02, 300]]));
    v.onTick(trade(100.0, 60, Aggressor.Seller));
    expect(fills(reports, mine.orderId)).toEqual([
      [100.0, 50, 'maker'],
      [100.0, 50, 'maker'],
    ]);
    expect(last(reports, mine.orderId)).toMatchObject({ type: 'OrderFilled', leavesQty: 0, fee: -0.1 });
  });

  it('size that leaves a level comes off the newest market size first, so it does not move us up', () => {
    const { v, reports } = venue();
    v.onBook(book([[100.0, 300]], [[100.02, 300]]));
    const mine = order({ side: 'buy', quantity: 100, price: 100.0 });
    v.submit(mine);
    v.onBook(book([[100.0, 500]], [[100.02, 300]]));
    v.onBook(book([[100.0, 350]], [[100.02, 300]]));
    // 300 was ahead of us and is still there: a 300 trade does not reach us, 301 does.
    v.onTick(trade(100.0, 300, Aggressor.Seller));
    expect(fills(reports, mine.orderId)).toEqual([]);
    v.onTick(trade(100.0, 1, Aggressor.Seller));
    expect(fills(reports, mine.orderId)).toEqual([[100.0, 1, 'maker']]);
  });

  it('fills a resting order when the market trades through its price, or when the book crosses it, at its own price', () => {
    const { v, reports } = venue();
    v.onBook(book([[99.98, 100]], [[100.05, 100]]));
    const ask = order({ side: 'sell', quantity: 30, price: 100.03 });
    v.submit(ask);
    v.onTick(trade(100.04, 500, Aggressor.Buyer));
    expect(fills(reports, ask.orderId)).toEqual([[100.03, 30, 'maker']]);
    const bid = order({ side: 'buy', quantity: 50, price: 100.0 });
    v.submit(bid);
    v.onBook(book([[99.97, 100]], [[99.99, 20], [100.0, 40]]));
    expect(fills(reports, bid.orderId)).toEqual([
      [100.0, 20, 'maker'],
      [100.0, 30, 'maker'],
    ]);
  });
});

describe('exchange simulator: order handling', () => {
  it('rejects with reasons: post-only that would cross, unknown symbol, off-tick price, off-lot quantity', () => {
    const { v, reports } = venue();
    v.onBook(book([[100.0, 100]], [[100.01, 100]]));
    const codes = [
      order({ side: 'buy', quantity: 10, price: 100.01, postOnly: true }),
      order({ side: 'buy', quantity: 10, symbol: 'ZZZ' }),
      order({ side: 'buy', quantity: 10, price: 100.005 }),
      order({ side: 'buy', quantity: 0.5 }),
    ].map((o) => (v.submit(o), last(reports, o.orderId)));
    expect(codes.map((r) => (r as { code: string }).code)).toEqual(['POST_ONLY_WOULD_CROSS', 'UNKNOWN_SYMBOL', 'PRICE_OFF_TICK', 'QTY_OFF_LOT']);
  });

  it('cancels, refuses a cancel it cannot honour (too late, unknown), and ignores a resent orderId', () => {
    const { v, reports } = venue();
    const a = order({ side: 'buy', quantity: 10, price: 99 });
    const b = order({ side: 'buy', quantity: 10, price: 97, symbol: 'MSFT' });
    for (const o of [a, b]) v.submit(o);
    expect(v.submit(a)).toBe('duplicate');
    const cancel = (o: typeof a, orderId = o.orderId) => v.cancel({ type: 'VenueCancelOrder', ...envelope(), strategyId: 'mm', clientOrderId: o.clientOrderId, symbol: o.symbol, orderId, reason: 'x' });
    cancel(a);
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderCanceled', canceledQty: 10, reason: 'canceled on request' });
    cancel(a);
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderCancelRejected', code: 'TOO_LATE_TO_CANCEL' });
    cancel(a, 424242);
    expect(last(reports, 424242)).toMatchObject({ type: 'OrderCancelRejected', code: 'UNKNOWN_ORDER' });
    expect(last(reports, b.orderId)).toMatchObject({ type: 'OrderAccepted' });
  });

  it('knows every reject name the matching core can give an order', () => {
    const notForOrders = new Set(['TRUNCATED_RECORD', 'INVALID_OP', 'NOT_A_REDUCTION', 'UNKNOWN_ORDER_ID']);
    expect(allRejectNames().filter((n) => !notForOrders.has(n) && !(REJECT_CODES as readonly string[]).includes(n))).toEqual([]);
  });

  it('crosses two strategies at the resting price, stops a strategy trading with itself, and charges maker/taker fees', () => {
    const { v, reports } = venue();
    const resting = order({ side: 'sell', quantity: 100, price: 100.1, strategyId: 's1' });
    v.submit(resting);
    const self = order({ side: 'buy', quantity: 100, price: 100.2, strategyId: 's1' });
    v.submit(self);
    expect(last(reports, self.orderId)).toMatchObject({ type: 'OrderCanceled', reason: 'self-trade prevention' });
    const other = order({ side: 'buy', quantity: 40, price: 100.2, strategyId: 's2' });
    v.submit(other);
    expect(fills(reports, other.orderId)).toEqual([[100.1, 40, 'taker']]);
    expect(last(reports, other.orderId)).toMatchObject({ fee: +((100.1 * 40 * 0.5) / 1e4).toFixed(10) });
    expect(last(reports, resting.orderId)).toMatchObject({ type: 'OrderFilled', lastQty: 40, liquidity: 'maker', fee: +((-100.1 * 40 * 0.2) / 1e4).toFixed(10), tsTick: 7n });
  });

  it('answers status queries with every fill, and says when it does not know an order', () => {
    const { v } = venue();
    v.onBook(book([[100.0, 100]], [[100.01, 5], [100.02, 5]]));
    const o = order({ side: 'buy', quantity: 20, price: 100.02 });
    v.submit(o);
    const q = (orderId: number) => v.status({ type: 'QueryOrderStatus', ...envelope(), orderId, strategyId: 'mm', clientOrderId: o.clientOrderId, symbol: 'AAPL' });
    expect(q(o.orderId)).toMatchObject({ status: 'PartiallyFilled', cumQty: 10, leavesQty: 10, avgPx: 100.015, fills: [{ lastPx: 100.01, lastQty: 5 }, { lastPx: 100.02, lastQty: 5 }] });
    expect(q(999_999)).toMatchObject({ status: null, fills: [] });
  });
});

describe('exchange simulator: cancel/replace', () => {
  const replace = (o: { orderId: number; clientOrderId: string; strategyId: string }, price: number, quantity: number) => ({ type: 'VenueReplaceOrder' as const, ...envelope(), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: 'AAPL', orderId: o.orderId, price, quantity, reason: 'test' });

  it('less quantity at the same price keeps the queue position; more quantity or a new price goes to the back', () => {
    const { v, reports } = venue('none');
    const a = order({ side: 'buy', quantity: 100, price: 99.99 });
    const b = order({ side: 'buy', quantity: 100, price: 99.99, strategyId: 'mm2' });
    v.submit(a);
    v.submit(b);
    v.replace(replace(a, 99.99, 50));
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderReplaced', quantity: 50, leavesQty: 50, keptPriority: true });
    v.submit(order({ side: 'sell', quantity: 60, price: 99.99, strategyId: 'x' }));
    expect(fills(reports, a.orderId)).toEqual([[99.99, 50, 'maker']]);
    expect(fills(reports, b.orderId)).toEqual([[99.99, 10, 'maker']]);
    // b has 90 left; growing it to 150 puts it behind a newcomer at the same price.
    const c = order({ side: 'buy', quantity: 20, price: 99.99, strategyId: 'mm3' });
    v.submit(c);
    v.replace(replace(b, 99.99, 150));
    expect(last(reports, b.orderId)).toMatchObject({ type: 'OrderReplaced', quantity: 150, cumQty: 10, leavesQty: 140, keptPriority: false });
    v.submit(order({ side: 'sell', quantity: 30, price: 99.99, strategyId: 'x' }));
    expect(fills(reports, c.orderId)).toEqual([[99.99, 20, 'maker']]);
    expect(fills(reports, b.orderId).at(-1)).toEqual([99.99, 10, 'maker']);
    // No cancel was ever reported for the replaced orders.
    expect(reports.filter((r) => r.type === 'OrderCanceled')).toEqual([]);
  });

  it('a new price can trade at once; refusals leave the order as it was', () => {
    const { v, reports } = venue('none');
    const ask = order({ side: 'sell', quantity: 30, price: 100.01, strategyId: 'x' });
    v.submit(ask);
    const a = order({ side: 'buy', quantity: 50, price: 99.5 });
    v.submit(a);
    v.replace(replace(a, 100.01, 50));
    const mine = reports.filter((r) => 'orderId' in r && r.orderId === a.orderId).map((r) => r.type);
    expect(mine.slice(-2)).toEqual(['OrderReplaced', 'OrderFilled']);
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderFilled', lastQty: 30, cumQty: 30, leavesQty: 20 });
    v.replace(replace(a, 100.01, 30));
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderReplaceRejected', code: 'QTY_NOT_ABOVE_FILLED' });
    v.replace(replace(a, 100.015, 40));
    expect(last(reports, a.orderId)).toMatchObject({ type: 'OrderReplaceRejected', code: 'REJECTED_BY_VENUE' });
    v.replace(replace({ ...a, orderId: 999 }, 100, 40));
    expect(reports.at(-1)).toMatchObject({ type: 'OrderReplaceRejected', code: 'UNKNOWN_ORDER' });
    // A post-only replace that would cross goes back on its old terms.
    const p = order({ side: 'buy', quantity: 10, price: 99.0, postOnly: true, strategyId: 'mm4' });
    v.submit(order({ side: 'sell', quantity: 10, price: 100.05, strategyId: 'x' }));
    v.submit(p);
    v.replace(replace(p, 100.05, 10));
    expect(last(reports, p.orderId)).toMatchObject({ type: 'OrderReplaceRejected', code: 'REJECTED_BY_VENUE' });
    expect(v.status({ type: 'QueryOrderStatus', ...envelope(), orderId: p.orderId, strategyId: 'mm4', clientOrderId: p.clientOrderId, symbol: 'AAPL' })).toMatchObject({ status: 'New', leavesQty: 10 });
    expect(fills(reports, p.orderId)).toEqual([]);
  });
});
