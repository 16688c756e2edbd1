// The OMS core against a real Postgres (a private database per test).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelope, type Message, type MessageInput, type OrderApproved } from '@hft/messages';
import { approved, ledgerRow, PEER, rig, until, type Rig } from './core-harness.js';

let r: Rig;
beforeEach(async () => (r = await rig()));
afterEach(async () => r.done());

function report(type: Message['type'], o: { orderId: number; clientOrderId: string }, fields: Record<string, unknown>) {
  return { type, ...envelope(), strategyId: 'mm', clientOrderId: o.clientOrderId, symbol: 'AAPL', orderId: o.orderId, ...fields } as never;
}

async function submitted(a: OrderApproved | MessageInput<'OrderApproved'>): Promise<{ orderId: number; clientOrderId: string }> {
  const ack = await until(() => r.risk.find((m) => m.type === 'OrderSubmitted' && m.clientOrderId === a.clientOrderId), 'ack');
  return { orderId: (ack as { orderId: number }).orderId, clientOrderId: a.clientOrderId };
}

describe('OMS ledger and state machine (real Postgres)', () => {
  it('ledgers an approved order as PendingNew with exact numerics before acknowledging and forwarding it', async () => {
    const a = approved({ price: 187.35, quantity: 0.00001 });
    r.core.onApproved(a as OrderApproved, PEER);
    const o = await submitted(a);
    expect(await ledgerRow(r.ledger, a.clientOrderId)).toMatchObject({ status: 'PendingNew', leaves_qty: '0.0000100000', last_seq: 1 });
    const px = await r.ledger.pool.query('SELECT price::text FROM orders WHERE order_id = $1', [o.orderId]);
    expect(px.rows[0].price).toBe('187.3500000000');
    expect(r.venue).toEqual([expect.objectContaining({ type: 'SubmitOrder', orderId: o.orderId, clientOrderId: a.clientOrderId, price: 187.35, tsTick: 123n })]);
  });

  it('never ledgers a clientOrderId twice: a resent approval is acknowledged with the same orderId', async () => {
    const a = approved();
    r.core.onApproved(a as OrderApproved, PEER);
    r.core.onApproved({ ...a, eventId: 'again-1' } as OrderApproved, PEER);
    const o = await submitted(a);
    r.core.onApproved({ ...a, eventId: 'again-2' } as OrderApproved, PEER);
    await until(() => r.risk.filter((m) => m.type === 'OrderSubmitted').length >= 2 || undefined, 'second ack');
    expect(r.risk.filter((m) => m.type === 'OrderSubmitted').every((m) => (m as { orderId: number }).orderId === o.orderId)).toBe(true);
    expect((await r.ledger.counts()).orders).toBe(1);
    expect(r.venue).toHaveLength(1);
  });

  it('walks fills through the state machine, applies an execId once, refuses overfills and anything after a terminal state', async () => {
    const a = approved({ quantity: 100 });
    r.core.onApproved(a as OrderApproved, PEER);
    const o = await submitted(a);
    r.core.onReport(report('OrderAccepted', o, { side: 'buy', price: 100.25, quantity: 100, tsTick: null }));
    const fill = (execId: string, qty: number, px: number, leaves: number) =>
      report('OrderFilled', o, { execId, side: 'buy', lastPx: px, lastQty: qty, cumQty: 100 - leaves, leavesQty: leaves, avgPx: px, liquidity: 'maker', fee: 0.1, tsTick: null });
    r.core.onReport(fill('E1', 40, 100.2, 60));
    r.core.onReport(fill('E1', 40, 100.2, 60));
    r.core.onReport(fill('E2', 70, 100.3, 0));
    r.core.onReport(fill('E3', 60, 100.3, 0));
    r.core.onReport(report('OrderCanceled', o, { canceledQty: 0, cumQty: 100, reason: 'late' }));
    await r.core.drain();
    expect(await ledgerRow(r.ledger, a.clientOrderId)).toMatchObject({ status: 'Filled', cum_qty: '100.0000000000', leaves_qty: '0.0000000000', avg_px: '100.2600000000', last_seq: 4 });
    const events = await r.ledger.pool.query('SELECT seq, event_type, status FROM order_events WHERE order_id = $1 ORDER BY seq', [o.orderId]);
    expect(events.rows.map((e: { event_type: string; status: string }) => `${e.event_type}:${e.status}`)).toEqual([
      'OrderApproved:PendingNew',
      'OrderAccepted:New',
      'OrderFilled:PartiallyFilled',
      'OrderFilled:Filled',
    ]);
    const fills = await r.ledger.pool.query('SELECT exec_id, quantity::text, price::text FROM fills WHERE order_id = $1 ORDER BY exec_id', [o.orderId]);
    expect(fills.rows).toEqual([
      { exec_id: 'E1', quantity: '40.0000000000', price: '100.2000000000' },
      { exec_id: 'E3', quantity: '60.0000000000', price: '100.3000000000' },
    ]);
    expect(r.logs.join('')).toContain('fill would exceed the order quantity');
    expect(r.core.open.size).toBe(0);
  });

  it('logs and refuses illegal transitions without applying them', async () => {
    const a = approved();
    r.core.onApproved(a as OrderApproved, PEER);
    const o = await submitted(a);
    r.core.onReport(report('OrderAccepted', o, { side: 'buy', price: 100.25, quantity: 100, tsTick: null }));
    r.core.onReport(report('OrderCancelRejected', o, { code: 'X', reason: 'not pending cancel' }));
    // New -> Rejected is not a FIX transition (the venue rejects before it acks).
    r.core.onReport(report('OrderRejected', o, { code: 'LATE', reason: 'venue confused' }));
    await r.core.drain();
    expect(await ledgerRow(r.ledger, a.clientOrderId)).toMatchObject({ status: 'New', last_seq: 2 });
    const line = r.logs.join('').split('\n').find((l) => l.includes('illegal transition refused'));
    expect(line).toMatch(/"from":"New","to":"Rejected"/);
  });

  it('cancels: before and after the order reached the venue, unknown orders rejected, cancel-all by scope', async () => {
    const a = approved({ clientOrderId: 'cx-1' });
    r.core.onApproved(a as OrderApproved, PEER);
    // The cancel arrives while the order still waits for the ledger: it follows the order to the venue.
    r.core.onCancel({ type: 'CancelOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'cx-1', symbol: 'AAPL', reason: 'changed my mind' } as never, PEER);
    const o = await submitted(a);
    await until(() => r.venue.find((m) => m.type === 'CancelOrder'), 'cancel to the venue');
    expect(r.venue.map((m) => m.type)).toEqual(['SubmitOrder', 'CancelOrder']);
    r.core.onReport(report('OrderCanceled', o, { canceledQty: 100, cumQty: 0, reason: 'changed my mind' }));
    r.core.onCancel({ type: 'CancelOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'nope', symbol: 'AAPL', reason: 'x' } as never, PEER);
    expect(r.risk.find((m) => m.type === 'OrderCancelRejected')).toMatchObject({ clientOrderId: 'nope', code: 'UNKNOWN_ORDER' });
    for (const [id, strategyId, symbol] of [['k1', 'mm', 'AAPL'], ['k2', 'mm', 'MSFT'], ['k3', 'other', 'AAPL']] as const) r.core.onApproved(approved({ clientOrderId: id, strategyId, symbol }) as OrderApproved, PEER);
    await until(() => r.venue.filter((m) => m.type === 'SubmitOrder').length === 4 || undefined, 'forwarded');
    const n = r.core.onCancelAll({ type: 'CancelAllOrders', ...envelope(), scope: 'symbol', strategyId: null, symbol: 'AAPL', reason: 'kill-switch: test' } as never);
    expect(n).toBe(2);
    expect(r.venue.filter((m) => m.type === 'CancelOrder').map((m) => m.clientOrderId).sort()).toEqual(['cx-1', 'k1', 'k3']);
    // Approved before the switch, still on its way into the ledger: cancelled as soon as it reaches the venue.
    r.core.onApproved(approved({ clientOrderId: 'k4', strategyId: 'late' }) as OrderApproved, PEER);
    expect(r.core.onCancelAll({ type: 'CancelAllOrders', ...envelope(), scope: 'strategy', strategyId: 'late', symbol: null, reason: 'kill-switch: test' } as never)).toBe(1);
    await until(() => r.venue.find((m) => m.type === 'CancelOrder' && m.clientOrderId === 'k4'), 'the late order cancelled');
    expect(r.venue.filter((m) => m.clientOrderId === 'k4').map((m) => m.type)).toEqual(['SubmitOrder', 'CancelOrder']);
  });

  it('a cancel that overtakes the venue ack: a rejected order ends Rejected, a rejected cancel goes back to PendingNew, reconciliation never invents an ack', async () => {
    const cancel = (id: string) => r.core.onCancel({ type: 'CancelOrder', ...envelope(), strategyId: 'mm', clientOrderId: id, symbol: 'AAPL', reason: 'requote' } as never, PEER);
    const a = approved({ clientOrderId: 'race-1' });
    r.core.onApproved(a as OrderApproved, PEER);
    const oa = await submitted(a);
    cancel('race-1');
    // The venue rejects the order itself (post-only would cross), then the cancel (order is dead).
    r.core.onReport(report('OrderRejected', oa, { code: 'POST_ONLY_WOULD_CROSS', reason: 'post-only order would cross' }));
    r.core.onReport(report('OrderCancelRejected', oa, { code: 'UNKNOWN_ORDER', reason: 'order is Rejected' }));
    const b = approved({ clientOrderId: 'race-2' });
    r.core.onApproved(b as OrderApproved, PEER);
    const ob = await submitted(b);
    cancel('race-2');
    r.core.onReport(report('OrderCancelRejected', ob, { code: 'UNKNOWN_ORDER', reason: 'not yet at the venue' }));
    // Reconciliation finds the second one rejected at the venue: straight to Rejected, no ack first.
    r.venueState.set(ob.orderId, { strategyId: 'mm', clientOrderId: 'race-2', symbol: 'AAPL', orderId: ob.orderId, status: 'Rejected', cumQty: 0, leavesQty: 0, avgPx: 0, fills: [] });
    await r.core.drain();
    expect(await ledgerRow(r.ledger, 'race-2')).toMatchObject({ status: 'PendingNew' });
    expect(await r.core.reconcile()).toEqual({ checked: 1, fixed: 1 });
    await r.core.drain();
    expect(await ledgerRow(r.ledger, 'race-1')).toMatchObject({ status: 'Rejected', leaves_qty: '0.0000000000' });
    expect(await ledgerRow(r.ledger, 'race-2')).toMatchObject({ status: 'Rejected', leaves_qty: '0.0000000000' });
    const events = await r.ledger.pool.query<{ event_type: string }>('SELECT event_type FROM order_events WHERE order_id = $1 ORDER BY seq', [ob.orderId]);
    expect(events.rows.map((e) => e.event_type)).toEqual(['OrderApproved', 'CancelRequested', 'OrderCancelRejected', 'ReconciledRejected']);
    // Risk never gets an execution report for it: the OMS tells it the order is over.
    expect(r.risk.filter((m) => m.type === 'OrderCanceled').map((m) => (m as { clientOrderId: string }).clientOrderId)).toEqual(['race-2']);
    expect(r.logs.join('')).not.toContain('illegal transition');
  });

  it('after a restart, orders ended by reconciliation before risk has spoken are reported to risk once it does', async () => {
    const a = approved({ clientOrderId: 'rs-1' });
    r.core.onApproved(a as OrderApproved, PEER);
    const o = await submitted(a);
    r.core.onReport(report('OrderAccepted', o, { side: 'buy', price: 100.25, quantity: 100, tsTick: null }));
    await r.core.drain();
    // A new OMS process on the same ledger; the venue no longer knows the order (it restarted too).
    const r2 = await rig(r.ledger.pool.options.connectionString);
    try {
      expect(await r2.core.recover()).toBe(1);
      expect(await r2.core.reconcile()).toEqual({ checked: 1, fixed: 1 });
      await r2.core.drain();
      expect(await ledgerRow(r2.ledger, 'rs-1')).toMatchObject({ status: 'Canceled' });
      // Risk's address is not known yet: nothing can be sent, and nothing is forgotten.
      expect(r2.risk).toEqual([]);
      r2.core.onCancel({ type: 'CancelOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'other', symbol: 'AAPL', reason: 'requote' } as never, PEER);
      expect(r2.risk.map((m) => [m.type, (m as { clientOrderId: string }).clientOrderId])).toEqual([
        ['OrderCanceled', 'rs-1'],
        ['OrderCancelRejected', 'other'],
      ]);
    } finally {
      r2.core.close();
      await r2.ledger.close();
    }
  });

  it('audits a kill-switch once, whichever arrives first: the cancel count (command) or who and why (control event)', async () => {
    await r.ledger.recordKillSwitchCancels({ eventId: 'ks-1', scope: 'global', target: null, reason: 'kill-switch: drill', tsEvent: 1n, canceled: 3 });
    await r.ledger.recordKillSwitch({ eventId: 'ks-1', scope: 'global', target: null, engaged: true, reason: 'drill', actor: 'rita', tsEvent: 1n });
    await r.ledger.recordKillSwitch({ eventId: 'ks-2', scope: 'symbol', target: 'AAPL', engaged: true, reason: 'halt', actor: 'rita', tsEvent: 2n });
    await r.ledger.recordKillSwitchCancels({ eventId: 'ks-2', scope: 'symbol', target: 'AAPL', reason: 'kill-switch: halt', tsEvent: 2n, canceled: 2 });
    const rows = await r.ledger.pool.query('SELECT event_id, actor, reason, canceled_orders FROM kill_switch_audit ORDER BY event_id');
    expect(rows.rows).toEqual([
      { event_id: 'ks-1', actor: 'rita', reason: 'drill', canceled_orders: 3 },
      { event_id: 'ks-2', actor: 'rita', reason: 'halt', canceled_orders: 2 },
    ]);
  });

  it('reconciles with the venue: missed fills ledgered once, lost orders resent, terminal states applied', async () => {
    const a = approved({ clientOrderId: 'r1', quantity: 10 });
    const b = approved({ clientOrderId: 'r2', quantity: 10 });
    r.core.onApproved(a as OrderApproved, PEER);
    r.core.onApproved(b as OrderApproved, PEER);
    const oa = await submitted(a);
    const ob = await submitted(b);
    // The venue filled r1 (we never got the report) and never heard of r2.
    r.venueState.set(oa.orderId, { strategyId: 'mm', clientOrderId: 'r1', symbol: 'AAPL', orderId: oa.orderId, status: 'Filled', cumQty: 10, leavesQty: 0, avgPx: 100, fills: [{ execId: 'V1', lastPx: 100, lastQty: 10, fee: 0, liquidity: 'taker', tsEvent: 5n }] });
    const res = await r.core.reconcile();
    expect(res).toEqual({ checked: 2, fixed: 2 });
    expect(r.venue.filter((m) => m.type === 'SubmitOrder' && m.orderId === ob.orderId)).toHaveLength(2);
    await r.core.drain();
    expect(await ledgerRow(r.ledger, 'r1')).toMatchObject({ status: 'Filled', cum_qty: '10.0000000000' });
    // Running it again changes nothing.
    r.venueState.set(ob.orderId, { strategyId: 'mm', clientOrderId: 'r2', symbol: 'AAPL', orderId: ob.orderId, status: 'New', cumQty: 0, leavesQty: 10, avgPx: 0, fills: [] });
    expect(await r.core.reconcile()).toEqual({ checked: 1, fixed: 1 });
    expect(await r.core.reconcile()).toEqual({ checked: 1, fixed: 0 });
    expect((await r.ledger.counts()).fills).toBe(1);
  });
});
