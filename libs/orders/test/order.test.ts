import { describe, expect, it } from 'vitest';
import { envelope, type OrderEvent } from '@hft/messages';
import { averagePrice, Order, type OrderSpec } from '../src/index.js';
import { instruments } from './fixtures.js';

const spec = (over: Partial<OrderSpec> = {}): OrderSpec => ({ strategyId: 's', clientOrderId: 'c1', symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 412.31, quantity: 100, tsTick: null, ...over });
const order = (over: Partial<OrderSpec> = {}, orderId: number | null = 7) => new Order(spec(over), instruments.get(over.symbol ?? 'AAPL'), { orderId });
const ids = { strategyId: 's', clientOrderId: 'c1', symbol: 'AAPL', orderId: 7 };
const ev = (e: Record<string, unknown>): OrderEvent => ({ ...envelope(), ...ids, ...e }) as OrderEvent;
const fill = (execId: string, lastPx: number, lastQty: number) => ev({ type: 'OrderFilled', execId, side: 'buy', lastPx, lastQty, cumQty: lastQty, leavesQty: 0, avgPx: lastPx, liquidity: 'maker', fee: 0, tsTick: null });

describe('order lifecycle', () => {
  it('accumulates fills in integer units, once per execId, with an exactly rounded average', () => {
    const o = order();
    expect(o.apply(ev({ type: 'OrderAccepted', side: 'buy', price: 412.31, quantity: 100, tsTick: null }))).toEqual({ ok: true, changed: true });
    expect(o.apply(fill('E1', 412.31, 30))).toEqual({ ok: true, changed: true });
    expect([o.status, o.cumQty, o.leavesQty, o.avgPx]).toEqual(['PartiallyFilled', 30, 70, 412.31]);
    expect(o.apply(fill('E1', 412.31, 30))).toEqual({ ok: true, changed: false });
    o.apply(fill('E2', 412.32, 70));
    expect([o.status, o.cumQty, o.leavesQty, o.avgPx]).toEqual(['Filled', 100, 0, 412.317]);
    expect(o.apply(fill('E3', 412.3, 1))).toMatchObject({ ok: false, reason: 'illegal' });
  });

  it('refuses an overfill and leaves the order as it was', () => {
    const o = order({ quantity: 10 });
    o.apply(fill('E1', 412.31, 6));
    expect(o.apply(fill('E2', 412.31, 5))).toMatchObject({ ok: false, reason: 'overfill' });
    expect([o.cumQty, o.status]).toEqual([6, 'PartiallyFilled']);
  });

  it('fractional lots come back to exact figures (0.1 + 0.2 BTC is 0.3)', () => {
    const o = order({ symbol: 'BTC-USDT', quantity: 0.3, price: 68000 }, 7);
    const btc = (e: Record<string, unknown>) => ev({ ...e, symbol: 'BTC-USDT' });
    o.apply(btc({ type: 'OrderFilled', execId: 'B1', side: 'buy', lastPx: 68000, lastQty: 0.1, cumQty: 0.1, leavesQty: 0.2, avgPx: 68000, liquidity: 'taker', fee: 0, tsTick: null }));
    o.apply(btc({ type: 'OrderFilled', execId: 'B2', side: 'buy', lastPx: 68000.01, lastQty: 0.2, cumQty: 0.3, leavesQty: 0, avgPx: 68000, liquidity: 'taker', fee: 0, tsTick: null }));
    expect([o.status, o.cumQty, o.leavesQty, o.cumUnits]).toEqual(['Filled', 0.3, 0, 30_000]);
    expect(o.avgPx).toBe(68000.006667);
  });

  it('a rejected cancel goes back to where the order was: PendingNew before the ack, New after, PartiallyFilled after a fill', () => {
    const reject = ev({ type: 'OrderCancelRejected', code: 'UNKNOWN_ORDER', reason: 'not yet at the venue' });
    const a = order();
    a.pendingCancel();
    expect(a.apply(reject)).toEqual({ ok: true, changed: true });
    expect(a.status).toBe('PendingNew');
    const b = order();
    b.apply(ev({ type: 'OrderAccepted', side: 'buy', price: 412.31, quantity: 100, tsTick: null }));
    b.apply(ev({ type: 'OrderPendingCancel', reason: 'x' }));
    b.apply(reject);
    expect(b.status).toBe('New');
    const c = order();
    c.pendingCancel();
    c.apply(fill('E1', 412.31, 10));
    expect(c.status).toBe('PendingCancel');
    c.apply(reject);
    expect(c.status).toBe('PartiallyFilled');
    // A cancel refused for a finished order changes nothing.
    c.apply(fill('E2', 412.31, 90));
    expect(c.apply(reject)).toEqual({ ok: true, changed: false });
    expect(c.status).toBe('Filled');
  });

  it('venue vs our side: Denied only before the venue has the order, Rejected only before it accepted', () => {
    const a = order({}, null);
    expect(a.apply(ev({ type: 'OrderSubmitted', ...spec(), orderId: 7 }))).toEqual({ ok: true, changed: false });
    expect(a.orderId).toBe(7);
    a.apply(ev({ type: 'OrderAccepted', side: 'buy', price: 412.31, quantity: 100, tsTick: null }));
    expect(a.apply(ev({ type: 'OrderDenied', code: 'canceled_before_receipt', reason: 'x', values: {} }))).toMatchObject({ ok: false, reason: 'illegal' });
    expect(a.apply(ev({ type: 'OrderRejected', code: 'PRICE_OFF_TICK', reason: 'x' }))).toMatchObject({ ok: false, reason: 'illegal' });
    expect(a.status).toBe('New');
    const b = order({}, null);
    expect(b.apply(ev({ type: 'OrderDenied', orderId: null, code: 'max_order_qty', reason: 'x', values: {} }))).toEqual({ ok: true, changed: true });
    expect([b.status, b.leavesQty, b.isOpen]).toEqual(['Denied', 0, false]);
  });

  it('refuses events for another order, and an ack after fills is old news', () => {
    const o = order();
    expect(o.apply(ev({ type: 'OrderExpired', orderId: 8, expiredQty: 1, cumQty: 0 }))).toMatchObject({ ok: false, reason: 'wrong_order' });
    expect(o.apply(ev({ type: 'OrderExpired', clientOrderId: 'c2', expiredQty: 1, cumQty: 0 }))).toMatchObject({ ok: false, reason: 'wrong_order' });
    o.apply(fill('E1', 412.31, 10));
    expect(o.apply(ev({ type: 'OrderAccepted', side: 'buy', price: 412.31, quantity: 100, tsTick: null }))).toEqual({ ok: true, changed: false });
    expect(o.apply(ev({ type: 'OrderExpired', expiredQty: 90, cumQty: 10 }))).toEqual({ ok: true, changed: true });
    expect([o.status, o.cumQty, o.leavesQty]).toEqual(['Expired', 10, 0]);
  });

  it('averages round half up at the documented precision', () => {
    expect(averagePrice(1n, 3, 2)).toBe(0.003333);
    expect(averagePrice(2n, 3, 2)).toBe(0.006667);
    expect(averagePrice(41231n * 100n, 100, 2)).toBe(412.31);
  });
});
