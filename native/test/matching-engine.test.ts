import { describe, expect, it } from 'vitest';
import {
  CancelReason,
  CommandBatch,
  decodeEvents,
  EventKind,
  Liquidity,
  MatchingEngine,
  OrderKind,
  rejectName,
  Side,
} from '../src/index.js';

function engine(stp?: 'none' | 'cancel-resting' | 'cancel-aggressor' | 'cancel-both'): MatchingEngine {
  const e = new MatchingEngine();
  e.addBook(1, 1, stp);
  return e;
}

describe('MatchingEngine through the binding', () => {
  it('fills by price then time, across levels, with partial fills and a resting remainder', () => {
    const e = engine();
    const b = new CommandBatch();
    b.newOrder({ book: 0, orderId: 1, side: Side.Sell, price: 101, qty: 5 });
    b.newOrder({ book: 0, orderId: 2, side: Side.Sell, price: 100, qty: 3 });
    b.newOrder({ book: 0, orderId: 3, side: Side.Sell, price: 100, qty: 4 });
    b.newOrder({ book: 0, orderId: 4, side: Side.Buy, price: 101, qty: 15 });
    const ev = decodeEvents(e.process(b.view()));
    const fills = ev.filter((x) => x.kind === EventKind.Filled && x.detail === Liquidity.Taker);
    expect(fills.map((f) => [f.otherId, f.price, f.qty, f.leaves])).toEqual([
      [2, 100, 3, 12],
      [3, 100, 4, 8],
      [1, 101, 5, 3],
    ]);
    const out = new Float64Array(4);
    e.bbo(0, out);
    expect([...out]).toEqual([101, 3, 0, 0]);
    expect([...e.restingOrders(0)]).toEqual([4, Side.Buy, 101, 3, 0]);
  });

  it('expires the unfilled part of IOC and market orders', () => {
    const e = engine();
    const b = new CommandBatch();
    b.newOrder({ book: 0, orderId: 1, side: Side.Buy, price: 99, qty: 2 });
    b.newOrder({ book: 0, orderId: 2, side: Side.Sell, kind: OrderKind.Market, qty: 5 });
    b.newOrder({ book: 0, orderId: 3, side: Side.Sell, kind: OrderKind.LimitIoc, price: 99, qty: 1 });
    const ev = decodeEvents(e.process(b.view()));
    const ends = ev.filter((x) => x.kind === EventKind.Expired).map((x) => [x.orderId, x.qty]);
    expect(ends).toEqual([
      [2, 3],
      [3, 1],
    ]);
    expect(e.restingCount(0)).toBe(0);
  });

  it('rejects with stable codes: post-only crossing, duplicate id, unknown cancel, bad price', () => {
    const e = engine();
    const b = new CommandBatch();
    b.newOrder({ book: 0, orderId: 1, side: Side.Sell, price: 100, qty: 1 });
    b.newOrder({ book: 0, orderId: 2, side: Side.Buy, kind: OrderKind.LimitPostOnly, price: 100, qty: 1 });
    b.newOrder({ book: 0, orderId: 1, side: Side.Sell, price: 105, qty: 1 });
    b.cancel(0, 42);
    b.newOrder({ book: 0, orderId: 5, side: Side.Buy, price: Number.NaN, qty: 1 });
    b.newOrder({ book: 9, orderId: 6, side: Side.Buy, price: 100, qty: 1 });
    const rejected = decodeEvents(e.process(b.view()))
      .filter((x) => x.kind === EventKind.Rejected)
      .map((x) => [x.orderId, rejectName(x.detail)]);
    expect(rejected).toEqual([
      [2, 'POST_ONLY_WOULD_CROSS'],
      [1, 'DUPLICATE_ORDER_ID'],
      [42, 'UNKNOWN_ORDER_ID'],
      [5, 'PRICE_NOT_FINITE'],
      [6, 'UNKNOWN_BOOK'],
    ]);
  });

  it('prevents self-trades when asked and cancels all orders of one owner', () => {
    const e = engine('cancel-resting');
    const b = new CommandBatch();
    b.newOrder({ book: 0, orderId: 1, side: Side.Sell, price: 100, qty: 5, owner: 7 });
    b.newOrder({ book: 0, orderId: 2, side: Side.Sell, price: 100, qty: 5, owner: 8 });
    b.newOrder({ book: 0, orderId: 3, side: Side.Buy, price: 100, qty: 2, owner: 7 });
    b.newOrder({ book: 0, orderId: 4, side: Side.Buy, price: 90, qty: 1, owner: 7 });
    b.cancelAll(0, 7);
    const ev = decodeEvents(e.process(b.view()));
    expect(ev.find((x) => x.orderId === 1 && x.kind === EventKind.Canceled)?.detail).toBe(CancelReason.SelfTrade);
    const fill = ev.find((x) => x.kind === EventKind.Filled && x.orderId === 3);
    expect(fill?.otherId).toBe(2);
    const cancelAll = ev.filter((x) => x.detail === CancelReason.CancelAll && x.kind === EventKind.Canceled);
    expect(cancelAll.map((x) => x.orderId)).toEqual([4]);
    expect([...e.restingOrders(0)]).toEqual([2, Side.Sell, 100, 3, 8]);
  });

  it('reduces a resting order in place, keeping its place in the queue', () => {
    const e = engine();
    const b = new CommandBatch();
    b.newOrder({ book: 0, orderId: 1, side: Side.Sell, price: 100, qty: 10 });
    b.newOrder({ book: 0, orderId: 2, side: Side.Sell, price: 100, qty: 10 });
    b.reduce(0, 1, 3);
    b.reduce(0, 2, 50);
    b.newOrder({ book: 0, orderId: 3, side: Side.Buy, price: 100, qty: 4 });
    const ev = decodeEvents(e.process(b.view()));
    expect(ev.find((x) => x.kind === EventKind.Reduced)).toMatchObject({ orderId: 1, qty: 7, leaves: 3 });
    expect(rejectName(ev.find((x) => x.kind === EventKind.Rejected)!.detail)).toBe('NOT_A_REDUCTION');
    const takes = ev.filter((x) => x.kind === EventKind.Filled && x.detail === Liquidity.Taker).map((x) => [x.otherId, x.qty]);
    expect(takes).toEqual([
      [1, 3],
      [2, 1],
    ]);
  });

  it('refuses an unknown self-trade prevention mode', () => {
    const e = new MatchingEngine();
    expect(() => e.addBook(1, 1, 'sometimes' as never)).toThrow(/unknown self-trade prevention mode "sometimes"/);
  });
});
