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
