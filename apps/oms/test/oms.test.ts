// The OMS against a real Postgres and a real journal file: what it sends, publishes and ledgers, and
// what survives a crash.
import { afterEach, describe, expect, it } from 'vitest';
import { envelope } from '@hft/messages';
import { approved, fill, report, rig, row, until, type Rig } from './oms-harness.js';

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0).reverse()) await r.done();
});
async function make(o: Parameters<typeof rig>[0] = {}): Promise<Rig> {
  const r = await rig(o);
  rigs.push(r);
  return r;
}

describe('OMS: journal first, the venue and the stream next, the ledger behind', () => {
  it('sends an approved order to the venue without waiting for Postgres, then ledgers it with its stream event', async () => {
    const r = await make();
    const a = approved({ price: 187.35, quantity: 100 });
    r.oms.onApproved(a);
    // Sent and published before anything was committed: the ledger follows behind.
    expect(r.venue).toEqual([expect.objectContaining({ type: 'VenueSubmitOrder', clientOrderId: a.clientOrderId, price: 187.35, quantity: 100, tsTick: 123n })]);
    expect(r.oms.backlog).toBe(2);
    expect((await r.stream()).map((e) => [e.type, e.seq])).toEqual([['OrderSubmitted', 1]]);
    await r.oms.drain();
    expect(await row(r.ledger, a.clientOrderId)).toMatchObject({ status: 'PendingNew', leaves_qty: '100.0000000000', last_seq: 1 });
    const ev = await r.ledger.pool.query('SELECT event_type, stream_seq::int, payload FROM order_events');
    expect(ev.rows).toEqual([expect.objectContaining({ event_type: 'OrderSubmitted', stream_seq: 1 })]);
    expect(ev.rows[0].payload).toMatchObject({ type: 'OrderSubmitted', seq: 1, orderId: r.venue[0]!.orderId, tsTick: '123' });
  });

  it('walks venue reports through the lifecycle: exact figures on the stream, fills and positions ledgered once', async () => {
    const r = await make();
    r.oms.onApproved(approved({ clientOrderId: 'f1', side: 'buy', quantity: 10, price: 412.31 }));
    const v = r.venue[0]!;
    r.oms.onVenueReport(report(v, { type: 'OrderAccepted', side: 'buy', price: 412.31, quantity: 10, tsTick: null }));
    r.oms.onVenueReport({ ...fill(v, 'X1', 412.31, 4, 0.01), avgPx: 412.31000000000006 } as never);
    r.oms.onVenueReport(fill(v, 'X1', 412.31, 4, 0.01));
    r.oms.onVenueReport(fill(v, 'X3', 412.32, 7));
    r.oms.onVenueReport(fill(v, 'X2', 412.32, 6));
    const events = await r.stream();
    expect(events.map((e) => e.type)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderFilled', 'OrderFilled']);
    expect(events[2]).toMatchObject({ cumQty: 4, leavesQty: 6, avgPx: 412.31 });
    expect(events[3]).toMatchObject({ cumQty: 10, leavesQty: 0, avgPx: 412.316 });
    expect(r.logs.join('')).toMatch(/order event refused by the lifecycle/);
    await r.oms.drain();
    expect(await row(r.ledger, 'f1')).toMatchObject({ status: 'Filled', cum_qty: '10.0000000000', leaves_qty: '0.0000000000', avg_px: '412.3160000000', acked: true });
    expect((await r.ledger.counts()).fills).toBe(2);
    const pos = await r.ledger.pool.query('SELECT qty::float8, avg_px::float8, fees::float8, stream_seq::int FROM positions');
    expect(pos.rows).toEqual([{ qty: 10, avg_px: 412.316, fees: 0.01, stream_seq: 4 }]);
    expect(r.oms.state('mm')).toEqual([{ strategyId: 'mm', seq: 4, positions: [{ strategy: 'mm', symbol: 'AAPL', qty: 10, avgPx: 412.316, realized: 0, fees: 0.01 }], openOrders: [] }]);
  });

  it('cancels; a cancel that comes before its order voids it; the stream is read back by sequence from Postgres', async () => {
    const r = await make({ settings: { recent_events: 100 } });
    r.oms.onApproved(approved({ clientOrderId: 'k1' }));
    const cancel = (clientOrderId: string) => r.oms.onCancel({ type: 'CancelOrder', ...envelope(), strategyId: 'mm', clientOrderId, symbol: 'AAPL', reason: 'requote' });
    cancel('k1');
    expect(r.venue.map((v) => v.type)).toEqual(['VenueSubmitOrder', 'VenueCancelOrder']);
    r.oms.onVenueReport(report(r.venue[0]!, { type: 'OrderCanceled', canceledQty: 100, cumQty: 0, reason: 'canceled on request' }));
    cancel('k1');
    cancel('lost-1');
    r.oms.onApproved(approved({ clientOrderId: 'lost-1' }));
    expect(r.venue).toHaveLength(2);
    const types = (await r.stream()).map((e) => `${e.type}${'code' in e ? `:${e.code}` : ''}`);
    expect(types).toEqual(['OrderSubmitted', 'OrderPendingCancel', 'OrderCanceled', 'OrderCancelRejected:TOO_LATE_TO_CANCEL', 'OrderDenied:canceled_before_receipt', 'OrderDenied:duplicate_client_order_id']);
    await r.oms.drain();
    expect(await row(r.ledger, 'lost-1')).toMatchObject({ status: 'Denied' });
    // Enough newer events that memory no longer holds the start of the stream.
    for (let i = 0; i < 150; i++) r.oms.onApproved(approved({ strategyId: 'mm' }));
    await r.oms.drain();
    const page = await r.oms.events('mm', 2, 5);
    expect(page.head).toBe(156);
    expect(page.events.map((e) => (e as { seq: number }).seq)).toEqual([3, 4, 5, 6, 7]);
    expect(page.events[1]).toMatchObject({ type: 'OrderCancelRejected', code: 'TOO_LATE_TO_CANCEL', tsEvent: expect.stringMatching(/^\d+$/) });
  });

});

describe('OMS: crash and restart', () => {
  it('a kill -9 loses nothing: what the journal held is replayed, ledgered once, and the stream continues in sequence', async () => {
    const a = await make();
    a.oms.onApproved(approved({ clientOrderId: 'j1', quantity: 10 }));
    a.oms.onApproved(approved({ clientOrderId: 'j2', quantity: 10, strategyId: 'other' }));
    await a.oms.drain();
    const v = a.venue[0]!;
    // Sent, published, journaled; Postgres never sees these before the crash.
    a.oms.onVenueReport(report(v, { type: 'OrderAccepted', side: 'buy', price: 100.25, quantity: 10, tsTick: null }));
    a.oms.onVenueReport(fill(v, 'J1', 100.25, 3));
    a.oms.onCancel({ type: 'CancelOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'j1', symbol: 'AAPL', reason: 'requote' });
    a.oms.onApproved(approved({ clientOrderId: 'j3', quantity: 5 }));
    const before = await a.stream();
    const stateBefore = a.oms.state();
    await a.crash();

    const b = await make({ url: a.url, journalDir: a.journalDir });
    expect(await b.stream()).toEqual(before);
    expect(b.oms.state()).toEqual(stateBefore);
    await b.oms.drain();
    expect(await row(b.ledger, 'j1')).toMatchObject({ status: 'PendingCancel', cum_qty: '3.0000000000' });
    expect(await row(b.ledger, 'j3')).toMatchObject({ status: 'PendingNew' });
    expect(await b.ledger.counts()).toMatchObject({ orders: 3, fills: 1 });
    // The next event takes the next sequence number; a resent report changes nothing.
    b.oms.onVenueReport(fill(v, 'J1', 100.25, 3));
    b.oms.onVenueReport(report(v, { type: 'OrderCanceled', canceledQty: 7, cumQty: 3, reason: 'canceled on request' }));
    expect((await b.stream()).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    await b.oms.drain();
    const seqs = await b.ledger.pool.query("SELECT stream_seq::int AS s FROM order_events WHERE strategy_id = 'mm' ORDER BY 1");
    expect(seqs.rows.map((x) => x.s)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reconciles with the venue: sends again what it never received, ledgers missed fills, cancels what it lost', async () => {
    const r = await make();
    r.oms.onApproved(approved({ clientOrderId: 'r1', quantity: 10 }));
    r.oms.onApproved(approved({ clientOrderId: 'r2', quantity: 10 }));
    r.oms.onApproved(approved({ clientOrderId: 'r3', quantity: 10 }));
    const [v1, v2, v3] = r.venue;
    r.oms.onVenueReport(report(v3!, { type: 'OrderAccepted', side: 'buy', price: 100.25, quantity: 10, tsTick: null }));
    r.venueState.set(v1!.orderId, { status: 'Filled', cumQty: 10, fills: [{ execId: 'V1', lastPx: 100, lastQty: 10, fee: 0, liquidity: 'taker', tsEvent: 5n }] });
    expect(await r.oms.reconcile()).toEqual({ checked: 3, fixed: 3 });
    expect(r.venue.filter((v) => v.orderId === v2!.orderId).map((v) => v.type)).toEqual(['VenueSubmitOrder', 'VenueSubmitOrder']);
    await r.oms.drain();
    expect(await row(r.ledger, 'r1')).toMatchObject({ status: 'Filled', cum_qty: '10.0000000000' });
    expect(await row(r.ledger, 'r3')).toMatchObject({ status: 'Canceled' });
    r.venueState.set(v2!.orderId, { status: 'New' });
    expect(await r.oms.reconcile()).toEqual({ checked: 1, fixed: 1 });
    expect(await r.oms.reconcile()).toEqual({ checked: 1, fixed: 0 });
    await until(async () => (await row(r.ledger, 'r2'))?.['acked'] === true || undefined, 'the ack ledgered');
  });
});
