import { describe, expect, it } from 'vitest';
import { envelope, type CancelOrder, type OrderEvent, type VenueReport } from '@hft/messages';
import { OrderManager, type LedgerRecord } from '../src/index.js';
import { approval, instruments, ref } from './fixtures.js';

const manager = () => new OrderManager({ instruments });
const cancel = (clientOrderId: string, strategyId = 'mm'): CancelOrder => ({ type: 'CancelOrder', ...envelope(), strategyId, clientOrderId, symbol: 'AAPL', reason: 'requote' });
const types = (events: OrderEvent[]) => events.map((e) => `${e.type}#${e.seq}`);

function live(m: OrderManager, over = {}) {
  const out = m.approve(approval(over));
  const submitted = out.events[0]!;
  return { out, o: { strategyId: submitted.strategyId, clientOrderId: submitted.clientOrderId, symbol: submitted.symbol, orderId: submitted.orderId! } };
}

describe('order manager (the OMS core)', () => {
  it('gives an approved order its id and the stream its next sequence; records it before the venue command', () => {
    const m = manager();
    const { out, o } = live(m);
    expect(out.records.map((r) => r.kind)).toEqual(['order', 'event']);
    expect(types(out.events)).toEqual(['OrderSubmitted#1']);
    expect(out.venue).toEqual([expect.objectContaining({ type: 'VenueSubmitOrder', orderId: o.orderId, clientOrderId: o.clientOrderId, price: 100.25, quantity: 100 })]);
    expect(live(m, { strategyId: 'other' }).out.events[0]!.seq).toBe(1);
    expect(live(m).out.events[0]!.seq).toBe(2);
    expect(m.allHeads()).toEqual({ mm: 2, other: 1 });
  });

  it('turns venue reports into the stream with exact figures and positions; repeats and strangers change nothing', () => {
    const m = manager();
    const { o } = live(m, { side: 'sell', quantity: 10, price: 412.31 });
    const report = (r: Record<string, unknown>) => m.onVenueReport({ ...ref(o), ...r } as VenueReport);
    expect(types(report({ type: 'OrderAccepted', side: 'sell', price: 412.31, quantity: 10, tsTick: null }).events)).toEqual(['OrderAccepted#2']);
    const f = { type: 'OrderFilled', execId: 'X1', side: 'sell', lastPx: 412.31, lastQty: 4, cumQty: 4, leavesQty: 6, avgPx: 412.31000000000006, liquidity: 'maker', fee: -0.1, tsTick: null };
    const fill = report(f);
    expect(fill.events[0]).toMatchObject({ type: 'OrderFilled', seq: 3, cumQty: 4, leavesQty: 6, avgPx: 412.31 });
    expect(fill.records[0]).toMatchObject({ kind: 'event', orderSeq: 3, projection: { status: 'PartiallyFilled', cumQty: 4, leavesQty: 6 }, position: { strategy: 'mm', symbol: 'AAPL', qty: -4, fees: -0.1 } });
    expect(report(f)).toMatchObject({ ignored: 'duplicate_report', events: [] });
    expect(m.onVenueReport({ ...ref({ ...o, orderId: 999 }), type: 'OrderExpired', expiredQty: 1, cumQty: 0 } as VenueReport)).toMatchObject({ ignored: 'unknown_order', events: [] });
    expect(report({ type: 'OrderFilled', execId: 'X2', side: 'sell', lastPx: 412.31, lastQty: 7, cumQty: 11, leavesQty: 0, avgPx: 412.31, liquidity: 'maker', fee: 0, tsTick: null })).toMatchObject({ ignored: 'overfill' });
    expect(types(report({ type: 'OrderCanceled', canceledQty: 6, cumQty: 4, reason: 'requote' }).events)).toEqual(['OrderCanceled#4']);
    expect(m.open.size).toBe(0);
    expect(m.state('mm')).toEqual([{ strategyId: 'mm', seq: 4, positions: [{ strategy: 'mm', symbol: 'AAPL', qty: -4, avgPx: 412.31, realized: 0, fees: -0.1 }], openOrders: [] }]);
  });

  it('cancels: an open order goes PendingCancel once; a finished one is too late; an unknown one is voided for ever', () => {
    const m = manager();
    const { o } = live(m);
    const c1 = m.cancel(cancel(o.clientOrderId));
    expect(types(c1.events)).toEqual(['OrderPendingCancel#2']);
    expect(c1.venue).toEqual([expect.objectContaining({ type: 'VenueCancelOrder', orderId: o.orderId })]);
    expect(m.cancel(cancel(o.clientOrderId))).toMatchObject({ ignored: 'already_pending_cancel', events: [], venue: [] });
    m.onVenueReport({ ...ref(o), type: 'OrderCanceled', canceledQty: 100, cumQty: 0, reason: 'requote' } as VenueReport);
    expect(m.cancel(cancel(o.clientOrderId)).events).toEqual([expect.objectContaining({ type: 'OrderCancelRejected', orderId: o.orderId, code: 'TOO_LATE_TO_CANCEL', seq: 4 })]);

    const voided = m.cancel(cancel('never-came'));
    expect(voided.records.map((r) => r.kind)).toEqual(['order', 'event']);
    expect(voided.records[0]).toMatchObject({ order: { clientOrderId: 'never-came', status: 'Denied', side: null, quantity: null } });
    expect(voided.events).toEqual([expect.objectContaining({ type: 'OrderDenied', clientOrderId: 'never-came', code: 'canceled_before_receipt', seq: 5 })]);
    // The order arrives after all: refused, never sent.
    const late = m.approve(approval({ clientOrderId: 'never-came' }));
    expect(late.venue).toEqual([]);
    expect(late.events).toEqual([expect.objectContaining({ type: 'OrderDenied', code: 'duplicate_client_order_id', orderId: voided.events[0]!.orderId })]);
    expect(late.records).toEqual([expect.objectContaining({ kind: 'event', projection: null })]);
    expect(m.approve(approval({ clientOrderId: o.clientOrderId })).events[0]).toMatchObject({ type: 'OrderDenied', code: 'duplicate_client_order_id' });
    expect(live(m).out.venue).toHaveLength(1);
  });

  it('a resent approval of an open order changes nothing; cancel-all cancels what is in scope', () => {
    const m = manager();
    const a = approval();
    m.approve(a);
    expect(m.approve({ ...a, eventId: 'again' })).toMatchObject({ ignored: 'duplicate_approval', records: [], venue: [] });
    live(m, { symbol: 'BTC-USDT', quantity: 0.001, price: 68000 });
    live(m, { strategyId: 'other' });
    const all = m.cancelAll({ type: 'CancelAllOrders', ...envelope(), scope: 'symbol', strategyId: null, symbol: 'AAPL', reason: 'kill-switch: test' });
    expect(all.canceled).toBe(2);
    expect(all.venue.map((v) => v.symbol)).toEqual(['AAPL', 'AAPL']);
    expect(m.cancelAll({ type: 'CancelAllOrders', ...envelope(), scope: 'global', strategyId: null, symbol: null, reason: 'again' }).canceled).toBe(1);
  });

  it('reconciles with the venue: resends what it never got, cancels what it lost, ledgers missed fills and ends', () => {
    const m = manager();
    const status = (o: ReturnType<typeof live>['o'], s: Record<string, unknown>) => ({ type: 'OrderStatusReported' as const, ...ref(o), cumQty: 0, leavesQty: 0, avgPx: 0, rejectCode: null, reason: null, fills: [], ...s });
    const a = live(m).o;
    expect(m.reconcile(m.open.get(a.orderId)!, status(a, { status: null }) as never)).toMatchObject({ fixed: ['resent'], events: [], venue: [expect.objectContaining({ type: 'VenueSubmitOrder' })] });
    const b = live(m, { quantity: 10 }).o;
    m.onVenueReport({ ...ref(b), type: 'OrderAccepted', side: 'buy', price: 100.25, quantity: 10, tsTick: null } as VenueReport);
    expect(types(m.reconcile(m.open.get(b.orderId)!, status(b, { status: null }) as never).events)).toEqual(['OrderCanceled#4']);
    const c = live(m, { quantity: 10 }).o;
    const fills = [{ execId: 'V1', lastPx: 100, lastQty: 4, fee: 0, liquidity: 'taker', tsEvent: 5n }, { execId: 'V2', lastPx: 101, lastQty: 6, fee: 0, liquidity: 'taker', tsEvent: 6n }];
    const r = m.reconcile(m.open.get(c.orderId)!, status(c, { status: 'Filled', cumQty: 10, fills }) as never);
    expect(r.fixed).toEqual(['fill', 'fill']);
    expect(r.events.map((e) => [e.type, (e as { cumQty: number }).cumQty])).toEqual([['OrderFilled', 4], ['OrderFilled', 10]]);
    expect(m.open.get(c.orderId)).toBeUndefined();
    const d = live(m).o;
    const rej = m.reconcile(m.open.get(d.orderId)!, status(d, { status: 'Rejected', rejectCode: 'POST_ONLY_WOULD_CROSS', reason: 'would cross' }) as never);
    expect(rej.events).toEqual([expect.objectContaining({ type: 'OrderRejected', code: 'POST_ONLY_WOULD_CROSS' })]);
  });

  it('replaying its records rebuilds the same state: heads, open orders, positions, used ids', () => {
    const m = manager();
    const records: LedgerRecord[] = [];
    const keep = <T extends { records: LedgerRecord[] }>(o: T): T => (records.push(...o.records), o);
    const a = live(m, { quantity: 10 });
    records.push(...a.out.records);
    keep(m.onVenueReport({ ...ref(a.o), type: 'OrderFilled', execId: 'F1', side: 'buy', lastPx: 100, lastQty: 3, cumQty: 3, leavesQty: 7, avgPx: 100, liquidity: 'maker', fee: 0, tsTick: null } as VenueReport));
    keep(m.cancel(cancel(a.o.clientOrderId)));
    keep(m.cancel(cancel('void-1')));
    const b = live(m, { strategyId: 'other' });
    records.push(...b.out.records);
    keep(m.onVenueReport({ ...ref(b.o), type: 'OrderRejected', code: 'PRICE_OFF_TICK', reason: 'x' } as VenueReport));

    const n = manager();
    for (const r of JSON.parse(JSON.stringify(records, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)), (_k, v: unknown) => (typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as LedgerRecord[]) n.replay(r);
    expect(n.allHeads()).toEqual(m.allHeads());
    expect(n.state()).toEqual(m.state());
    expect(n.nextOrderId).toBe(m.nextOrderId);
    expect(n.approve(approval({ clientOrderId: 'void-1' })).events[0]).toMatchObject({ code: 'duplicate_client_order_id' });
    expect(n.open.get(a.o.orderId)!.hasExec('F1')).toBe(true);
  });

  it('replaces a resting limit order: pending, then the new terms in the order and its projection; refusals leave it as it was', () => {
    const m = manager();
    const { o } = live(m, { quantity: 10, price: 100.25 });
    const report = (r: Record<string, unknown>) => m.onVenueReport({ ...ref(o), ...r } as VenueReport);
    report({ type: 'OrderAccepted', side: 'buy', price: 100.25, quantity: 10, tsTick: null });
    report({ type: 'OrderFilled', execId: 'R1', side: 'buy', lastPx: 100.25, lastQty: 4, cumQty: 4, leavesQty: 6, avgPx: 100.25, liquidity: 'maker', fee: 0, tsTick: null });
    const replace = (price: number, quantity: number) => m.replace({ type: 'ReplaceOrder', ...envelope(), strategyId: 'mm', clientOrderId: o.clientOrderId, symbol: 'AAPL', price, quantity, reason: 'requote' });
    const sent = replace(100.2, 12);
    expect(types(sent.events)).toEqual(['OrderPendingReplace#4']);
    expect(sent.venue).toEqual([expect.objectContaining({ type: 'VenueReplaceOrder', orderId: o.orderId, price: 100.2, quantity: 12 })]);
    // A second one while the first is in flight is refused on the stream, the order unchanged.
    expect(replace(100.1, 12).events[0]).toMatchObject({ type: 'OrderReplaceRejected', seq: 5, code: 'CANCEL_OR_REPLACE_PENDING' });
    const done = report({ type: 'OrderReplaced', price: 100.2, quantity: 12, cumQty: 4, leavesQty: 8, keptPriority: false });
    expect(done.records[0]).toMatchObject({ kind: 'event', projection: { status: 'PartiallyFilled', cumQty: 4, leavesQty: 8, price: 100.2, quantity: 12 } });
    expect(m.state('mm')[0]!.openOrders[0]).toMatchObject({ price: 100.2, quantity: 12, leavesQty: 8 });
    expect(replace(100.2, 4).events[0]).toMatchObject({ type: 'OrderReplaceRejected', code: 'QTY_NOT_ABOVE_FILLED' });
    report({ type: 'OrderFilled', execId: 'R2', side: 'buy', lastPx: 100.2, lastQty: 8, cumQty: 12, leavesQty: 0, avgPx: 100.2, liquidity: 'maker', fee: 0, tsTick: null });
    expect(replace(100.2, 20).events[0]).toMatchObject({ type: 'OrderReplaceRejected', code: 'TOO_LATE_TO_REPLACE' });
    const market = live(m, { orderType: 'market', price: null, timeInForce: 'ioc' }).o;
    expect(m.replace({ type: 'ReplaceOrder', ...envelope(), strategyId: 'mm', clientOrderId: market.clientOrderId, symbol: 'AAPL', price: 100, quantity: 5, reason: 'x' }).events[0]).toMatchObject({ code: 'NOT_REPLACEABLE' });
  });
});
