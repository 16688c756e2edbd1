import type { InstrumentRegistry } from '@hft/config';
import {
  CancelRejectCode,
  DenyCode,
  ReplaceRejectCode,
  envelope,
  nowNs,
  type CancelAllOrders,
  type CancelOrder,
  type MessageInput,
  type OrderApproved,
  type OrderEvent,
  type OrderStatusReported,
  type ReplaceOrder,
  type StrategyState,
  type VenueCancelOrder,
  type VenueReplaceOrder,
  type VenueReport,
  type VenueSubmitOrder,
} from '@hft/messages';
import { PositionBook } from '@hft/portfolio';
import type { LedgerRecord, NewOrderRow, OrderProjection } from './ledger-records.js';
import { Order, type OrderSpec, type OrderState } from './order.js';
import { toUnits } from './units.js';
import { OrderRegistry } from './order-registry.js';
import { isTerminal } from './order-status.js';

export type VenueCommand = VenueSubmitOrder | VenueCancelOrder | VenueReplaceOrder;

/** What one input changed: records for the ledger (journal them first), then venue commands and stream events. */
export interface Outcome {
  records: LedgerRecord[];
  venue: VenueCommand[];
  events: OrderEvent[];
  /** Why an input changed nothing, when it did not (a metric label). */
  ignored?: 'duplicate_approval' | 'already_pending_cancel' | 'unknown_order' | 'duplicate_report' | 'illegal' | 'overfill' | 'wrong_order';
  detail?: string;
}

/** An order the manager holds: the lifecycle plus its event count in the ledger. */
export class ManagedOrder extends Order {
  /** order_events.seq of its last event. */
  lastSeq = 0;
}

interface Closed {
  orderId: number;
  lastSeq: number;
}

const none = (): Outcome => ({ records: [], venue: [], events: [] });
const key = (strategyId: string, clientOrderId: string): string => `${strategyId}\u0000${clientOrderId}`;

export interface ManagerOptions {
  instruments: InstrumentRegistry;
  /** Finished orders remembered (by clientOrderId) to refuse a reused id and answer late cancels. */
  closedMemory?: number;
  now?: () => bigint;
}

/**
 * The order manager: single writer of order state. It turns approvals, cancels and venue reports into
 * lifecycle transitions, gives each order its id and each event its per-strategy stream sequence,
 * keeps positions from fills, and says what must be recorded, sent and published. It does no I/O:
 * the OMS daemon journals the records before sending; a backtest runs the same manager in process.
 */
export class OrderManager {
  readonly open = new OrderRegistry<ManagedOrder>();
  readonly positions: PositionBook;
  private readonly closed = new Map<string, Closed>();
  private readonly heads = new Map<string, number>();
  private nextId = 1;
  private readonly now: () => bigint;
  private readonly closedMemory: number;

  constructor(private readonly o: ManagerOptions) {
    this.now = o.now ?? nowNs;
    this.closedMemory = o.closedMemory ?? 1_000_000;
    this.positions = new PositionBook((s) => o.instruments.find(s) ?? 1);
  }

  // ---- reads

  head(strategyId: string): number {
    return this.heads.get(strategyId) ?? 0;
  }

  allHeads(): Record<string, number> {
    return Object.fromEntries(this.heads);
  }

  /** The OMS has (or had) this order: open, or finished and still remembered. */
  known(strategyId: string, clientOrderId: string): boolean {
    return this.open.byClientId(strategyId, clientOrderId) !== undefined || this.closed.has(key(strategyId, clientOrderId));
  }

  get nextOrderId(): number {
    return this.nextId;
  }

  /** Positions and open orders of each strategy at its current head (consistent: nothing runs between). */
  state(strategyId?: string): StrategyState[] {
    const ids = strategyId !== undefined ? [strategyId] : [...new Set([...this.heads.keys(), ...this.positions.list().map((p) => p.strategy)])].sort();
    return ids.map((id) => ({
      strategyId: id,
      seq: this.head(id),
      positions: this.positions.list(id).map(({ strategy, position: p }) => ({ strategy, symbol: p.symbol, ...p.state() })),
      openOrders: this.open.all((o) => o.strategyId === id).map((o) => o.row()),
    }));
  }

  // ---- start-up: what the ledger and the journal hold

  /** Take over the ledger's state (after a restart), before replaying the journal's tail. */
  load(s: { nextOrderId: number; heads: Record<string, number>; open: ManagedOrder[]; closed: { strategyId: string; clientOrderId: string; orderId: number; lastSeq: number }[]; positions: { strategy: string; symbol: string; qty: number; avgPx: number; realized: number; fees: number }[] }): void {
    this.nextId = Math.max(this.nextId, s.nextOrderId);
    for (const [k, v] of Object.entries(s.heads)) this.heads.set(k, v);
    for (const c of s.closed) this.remember(c.strategyId, c.clientOrderId, { orderId: c.orderId, lastSeq: c.lastSeq });
    for (const o of s.open) this.open.add(o);
    for (const p of s.positions) this.positions.restore(p.strategy, p.symbol, p);
  }

  /** Rebuild an open order from its ledger row. */
  restoreOrder(spec: OrderSpec, state: OrderState & { orderId: number; lastSeq: number }): ManagedOrder {
    const o = new ManagedOrder(spec, this.o.instruments.get(spec.symbol), state);
    o.lastSeq = state.lastSeq;
    return o;
  }

  /** Re-apply a journaled record the ledger had not committed (same effect as when it was made). */
  replay(r: LedgerRecord): void {
    if (r.kind === 'order') {
      const row = r.order;
      this.nextId = Math.max(this.nextId, row.orderId + 1);
      if (row.status === 'Denied') this.remember(row.strategyId, row.clientOrderId, { orderId: row.orderId, lastSeq: 0 });
      else this.open.add(this.newOrder(row as NewOrderRow & OrderSpec));
      return;
    }
    const e = r.event;
    if ((e.seq ?? 0) <= this.head(e.strategyId)) return;
    this.heads.set(e.strategyId, e.seq!);
    if (r.position) this.positions.restore(r.position.strategy, r.position.symbol, r.position);
    const o = this.open.get(r.orderId);
    if (o) {
      o.apply(e);
      o.lastSeq = r.orderSeq;
      if (isTerminal(o.status)) this.close(o);
    } else {
      const c = this.closed.get(key(e.strategyId, e.clientOrderId));
      if (c) c.lastSeq = r.orderSeq;
    }
  }

  // ---- commands from risk

  approve(a: OrderApproved): Outcome {
    const k = key(a.strategyId, a.clientOrderId);
    if (this.open.byClientId(a.strategyId, a.clientOrderId)) return { ...none(), ignored: 'duplicate_approval' };
    const closed = this.closed.get(k);
    if (closed) {
      // The id was used before: refuse, attached to the order that has it, so whoever reserved for
      // this approval releases it. The old order does not move.
      return this.late(a, closed, (e) => ({ type: 'OrderDenied', ...e, orderId: closed.orderId, code: DenyCode.DuplicateClientOrderId, reason: `clientOrderId ${a.clientOrderId} was already used by order ${closed.orderId}`, values: {} }));
    }
    if (!this.o.instruments.find(a.symbol)) return this.deny(a, DenyCode.UnknownInstrument, `${a.symbol} is not in the instrument master`);
    const row: NewOrderRow & OrderSpec = { ...specOf(a), orderId: this.nextId++, status: 'PendingNew', reason: null, tsEvent: this.now() };
    const o = this.newOrder(row);
    this.open.add(o);
    const out = none();
    out.records.push({ kind: 'order', order: row });
    // Submitting moves no state (the order was born PendingNew) but it is the first event of its stream.
    this.emit(out, o, { type: 'OrderSubmitted', ...envelope(a, row.tsEvent), ...o.spec(), orderId: row.orderId }, true);
    out.venue.push({ type: 'VenueSubmitOrder', ...envelope(a, row.tsEvent), ...o.spec(), orderId: row.orderId, ...(a.stamps ? { stamps: { ...a.stamps } } : {}) });
    return out;
  }

  /** Refuse an approved order on the OMS's side (ledgered as a Denied order, published). */
  deny(a: OrderApproved, code: DenyCode, reason: string): Outcome {
    const row: NewOrderRow = { ...specOf(a), orderId: this.nextId++, status: 'Denied', reason: `${code}: ${reason}`, tsEvent: this.now() };
    return this.tombstone(row, a, code, reason);
  }

  cancel(c: CancelOrder): Outcome {
    const o = this.open.byClientId(c.strategyId, c.clientOrderId);
    if (o) return this.requestCancel(o, c.reason, c);
    const closed = this.closed.get(key(c.strategyId, c.clientOrderId));
    if (closed) {
      return this.late(c, closed, (e) => ({ type: 'OrderCancelRejected', ...e, orderId: closed.orderId, code: CancelRejectCode.TooLateToCancel, reason: 'the order is already filled, canceled, rejected or expired' }));
    }
    // Never received: void the id, so the order is refused if it arrives after all.
    const reason = `canceled (${c.reason}) before the OMS received the order`;
    const row: NewOrderRow = { orderId: this.nextId++, strategyId: c.strategyId, clientOrderId: c.clientOrderId, symbol: c.symbol, side: null, orderType: null, timeInForce: null, postOnly: false, price: null, quantity: null, tsTick: null, status: 'Denied', reason: `${DenyCode.CanceledBeforeReceipt}: ${reason}`, tsEvent: this.now() };
    return this.tombstone(row, c, DenyCode.CanceledBeforeReceipt, reason);
  }

  /** Cancel every open order in scope (kill-switch). */
  cancelAll(c: CancelAllOrders): Outcome & { canceled: number } {
    const out = none();
    let canceled = 0;
    for (const o of this.open.all()) {
      if ((c.scope === 'strategy' && o.strategyId !== c.strategyId) || (c.scope === 'symbol' && o.symbol !== c.symbol)) continue;
      const r = this.requestCancel(o, c.reason, c);
      if (r.ignored) continue;
      canceled++;
      merge(out, r);
    }
    return { ...out, canceled };
  }

  private requestCancel(o: ManagedOrder, reason: string, cause: { eventId: string }): Outcome {
    if (o.status === 'PendingCancel') return { ...none(), ignored: 'already_pending_cancel' };
    const out = none();
    const ts = this.now();
    this.emit(out, o, { type: 'OrderPendingCancel', ...envelope(cause, ts), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId!, reason });
    out.venue.push({ type: 'VenueCancelOrder', ...envelope(cause, ts), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId!, reason });
    return out;
  }

  /**
   * Replace a resting limit order's price and/or total quantity. Refused on the stream (the order
   * unchanged) when it is finished, cancelling or already being replaced, not a limit order, or when
   * the new quantity is not above what has filled.
   */
  replace(r: ReplaceOrder): Outcome {
    const o = this.open.byClientId(r.strategyId, r.clientOrderId);
    const refuse = (code: ReplaceRejectCode, reason: string, orderId: number | null): MessageInput<'OrderReplaceRejected'> => ({
      type: 'OrderReplaceRejected',
      ...envelope(r, this.now()),
      strategyId: r.strategyId,
      clientOrderId: r.clientOrderId,
      symbol: r.symbol,
      orderId,
      price: r.price,
      quantity: r.quantity,
      code,
      reason,
    });
    if (!o) {
      const closed = this.closed.get(key(r.strategyId, r.clientOrderId));
      if (!closed) return { ...none(), ignored: 'unknown_order', detail: `replace of ${r.strategyId}/${r.clientOrderId}, which the OMS never had` };
      return this.late(r, closed, (e) => ({ ...refuse(ReplaceRejectCode.TooLateToReplace, 'the order is already filled, canceled, rejected or expired', closed.orderId), ...e }));
    }
    const out = none();
    const no = (code: ReplaceRejectCode, reason: string): Outcome => this.emit(out, o, refuse(code, reason, o.orderId), true) ?? out;
    // A refusal moves nothing, so the lifecycle calls it unchanged; it is published all the same.
    if (o.status === 'PendingCancel' || o.pendingReplace !== null) return no(ReplaceRejectCode.Pending, o.status === 'PendingCancel' ? 'a cancel of the order is in flight' : 'another replace of the order is in flight');
    if (o.orderType !== 'limit') return no(ReplaceRejectCode.NotReplaceable, 'only a resting limit order can be replaced');
    if (toUnits(r.quantity, o.inst.qtyScale) <= o.cumUnits) return no(ReplaceRejectCode.QtyNotAboveFilled, `new quantity ${r.quantity} is not above the ${o.cumQty} already filled`);
    const ts = this.now();
    const ref = { strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId!, price: r.price, quantity: r.quantity, reason: r.reason };
    this.emit(out, o, { type: 'OrderPendingReplace', ...envelope(r, ts), ...ref });
    out.venue.push({ type: 'VenueReplaceOrder', ...envelope(r, ts), ...ref });
    return out;
  }

  // ---- from the venue

  onVenueReport(r: VenueReport): Outcome {
    const o = r.orderId === null ? undefined : this.open.get(r.orderId);
    if (!o) return { ...none(), ignored: 'unknown_order', detail: `${r.type} for order ${r.orderId}, which is not open here` };
    if (r.type === 'OrderFilled' && o.hasExec(r.execId)) return { ...none(), ignored: 'duplicate_report' };
    const out = none();
    const e = restamp(r);
    // A refused cancel or replace moves nothing on its own, and is published all the same.
    const applied = this.emit(out, o, e, r.type === 'OrderCancelRejected' || r.type === 'OrderReplaceRejected');
    return applied ?? out;
  }

  /**
   * Repair an open order from the venue's answer to a status query: fills we never heard of, an ack,
   * a terminal state; an order the venue never received is sent again; one it lost is canceled.
   */
  reconcile(o: ManagedOrder, rep: OrderStatusReported): Outcome & { fixed: string[] } {
    const out = none();
    const fixed: string[] = [];
    if (!this.open.get(o.orderId!)) return { ...out, fixed };
    const base = { strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId! };
    if (rep.status === null) {
      if (!o.acked) {
        fixed.push('resent');
        out.venue.push({ type: 'VenueSubmitOrder', ...envelope(rep), ...o.spec(), orderId: o.orderId! });
        if (o.status === 'PendingCancel') out.venue.push({ type: 'VenueCancelOrder', ...envelope(rep), ...base, reason: 'cancel resent after reconciliation' });
      } else {
        fixed.push('lost_at_venue');
        this.emit(out, o, { type: 'OrderCanceled', ...envelope(rep), ...base, canceledQty: o.leavesQty, cumQty: o.cumQty, reason: 'unknown at the venue (lost there)' });
      }
      return { ...out, fixed };
    }
    for (const f of rep.fills) {
      if (o.hasExec(f.execId) || !o.isOpen) continue;
      const cum = o.cumQty + f.lastQty;
      fixed.push('fill');
      this.emit(out, o, { type: 'OrderFilled', ...envelope(rep, f.tsEvent), ...base, execId: f.execId, side: o.side, lastPx: f.lastPx, lastQty: f.lastQty, cumQty: cum, leavesQty: Math.max(0, o.quantity - cum), avgPx: f.lastPx, liquidity: f.liquidity, fee: f.fee, tsTick: o.tsTick });
    }
    if (!o.isOpen) return { ...out, fixed };
    if (o.status === 'PendingCancel' && (rep.status === 'PendingNew' || rep.status === 'New' || rep.status === 'PartiallyFilled')) {
      // Journaled but perhaps never sent (a crash between the two): cancel again; a repeat is refused by the venue as too late.
      fixed.push('cancel_resent');
      out.venue.push({ type: 'VenueCancelOrder', ...envelope(rep), ...base, reason: 'cancel resent after reconciliation' });
    }
    if (o.pendingReplace && (rep.status === 'New' || rep.status === 'PartiallyFilled')) {
      // The replace may never have left (a crash after the journal): again; the same terms twice change nothing.
      fixed.push('replace_resent');
      out.venue.push({ type: 'VenueReplaceOrder', ...envelope(rep), ...base, ...o.pendingReplace, reason: 'replace resent after reconciliation' });
    }
    if (!o.acked && rep.status !== 'PendingNew' && rep.status !== 'Rejected') {
      fixed.push('ack');
      this.emit(out, o, { type: 'OrderAccepted', ...envelope(rep), ...base, side: o.side, price: o.price, quantity: o.quantity, tsTick: o.tsTick });
    }
    if (rep.status === 'Canceled' || rep.status === 'Expired' || rep.status === 'Rejected') {
      fixed.push('terminal');
      const e = envelope(rep);
      if (rep.status === 'Canceled') this.emit(out, o, { type: 'OrderCanceled', ...e, ...base, canceledQty: o.leavesQty, cumQty: o.cumQty, reason: 'canceled at the venue (reconciled)' });
      else if (rep.status === 'Expired') this.emit(out, o, { type: 'OrderExpired', ...e, ...base, expiredQty: o.leavesQty, cumQty: o.cumQty });
      else this.emit(out, o, { type: 'OrderRejected', ...e, ...base, code: rep.rejectCode ?? 'UNKNOWN_BOOK', reason: rep.reason ?? 'rejected at the venue (reconciled)' });
    }
    return { ...out, fixed };
  }

  // ---- internals

  private newOrder(row: NewOrderRow & OrderSpec): ManagedOrder {
    return new ManagedOrder(row, this.o.instruments.get(row.symbol), { orderId: row.orderId });
  }

  /**
   * Apply an event to an open order; when it changes something (or `always`), give it the next stream
   * sequence, record it and queue it for publishing. Returns the refusal when the lifecycle refuses it.
   */
  private emit(out: Outcome, o: ManagedOrder, e: MessageInput<OrderEvent['type']>, always = false): Outcome | null {
    const ev = e as OrderEvent;
    const applied = o.apply(ev);
    if (!applied.ok) return { ...none(), ignored: applied.reason, detail: applied.detail };
    if (!applied.changed && !always) return { ...none(), ignored: 'duplicate_report' };
    let position = null;
    if (ev.type === 'OrderFilled') {
      // The stream carries the lifecycle's exact figures, not the venue's floats.
      Object.assign(ev, { cumQty: o.cumQty, leavesQty: o.leavesQty, avgPx: o.avgPx! });
      const p = this.positions.onFill(o.strategyId, o.symbol, o.side, ev.lastPx, ev.lastQty, ev.fee);
      position = { strategy: o.strategyId, symbol: o.symbol, ...p.state() };
    }
    ev.seq = this.nextSeq(o.strategyId);
    o.lastSeq++;
    const projection: OrderProjection = { status: o.status, cumQty: o.cumQty, leavesQty: o.leavesQty, avgPx: o.avgPx, reason: reasonOf(ev), acked: o.acked, price: o.price, quantity: o.quantity };
    out.records.push({ kind: 'event', event: ev, orderId: o.orderId!, orderSeq: o.lastSeq, projection, position });
    out.events.push(ev);
    if (isTerminal(o.status)) this.close(o);
    return null;
  }

  /** News about an order that is already over: recorded against it, its projection unchanged. */
  private late(cause: { eventId: string; strategyId: string; clientOrderId: string; symbol: string }, c: Closed, make: (e: ReturnType<typeof envelope> & { strategyId: string; clientOrderId: string; symbol: string }) => MessageInput<OrderEvent['type']>): Outcome {
    const out = none();
    const ev = make({ ...envelope(cause, this.now()), strategyId: cause.strategyId, clientOrderId: cause.clientOrderId, symbol: cause.symbol }) as OrderEvent;
    ev.seq = this.nextSeq(cause.strategyId);
    c.lastSeq++;
    out.records.push({ kind: 'event', event: ev, orderId: c.orderId, orderSeq: c.lastSeq, projection: null, position: null });
    out.events.push(ev);
    return out;
  }

  private tombstone(row: NewOrderRow, cause: { eventId: string }, code: DenyCode, reason: string): Outcome {
    const c: Closed = { orderId: row.orderId, lastSeq: 0 };
    this.remember(row.strategyId, row.clientOrderId, c);
    const out = this.late({ ...cause, strategyId: row.strategyId, clientOrderId: row.clientOrderId, symbol: row.symbol }, c, (e) => ({ type: 'OrderDenied', ...e, orderId: row.orderId, code, reason, values: {} }));
    out.records.unshift({ kind: 'order', order: row });
    const ev = out.records[1]!;
    if (ev.kind === 'event') ev.projection = { status: 'Denied', cumQty: 0, leavesQty: 0, avgPx: null, reason: row.reason, acked: false };
    return out;
  }

  private nextSeq(strategyId: string): number {
    const n = this.head(strategyId) + 1;
    this.heads.set(strategyId, n);
    return n;
  }

  private close(o: ManagedOrder): void {
    this.open.remove(o);
    this.remember(o.strategyId, o.clientOrderId, { orderId: o.orderId!, lastSeq: o.lastSeq });
  }

  private remember(strategyId: string, clientOrderId: string, c: Closed): void {
    this.closed.set(key(strategyId, clientOrderId), c);
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.closed.size > this.closedMemory) this.closed.delete(this.closed.keys().next().value!);
  }
}

/** The venue's report as the stream carries it: a new envelope caused by it (the OMS adds its sequence). */
function restamp(r: VenueReport): OrderEvent {
  const e = { ...r, ...envelope(r, r.tsEvent) };
  delete e.seq;
  return e;
}

function specOf(a: OrderApproved): OrderSpec {
  return { strategyId: a.strategyId, clientOrderId: a.clientOrderId, symbol: a.symbol, side: a.side, orderType: a.orderType, timeInForce: a.timeInForce, postOnly: a.postOnly, price: a.price, quantity: a.quantity, tsTick: a.tsTick };
}

function reasonOf(e: OrderEvent): string | null {
  switch (e.type) {
    case 'OrderRejected':
    case 'OrderDenied':
      return `${e.code}: ${e.reason}`;
    case 'OrderCanceled':
    case 'OrderPendingCancel':
      return e.reason;
    case 'OrderCancelRejected':
      return `cancel rejected: ${e.code}`;
    case 'OrderReplaceRejected':
      return `replace rejected: ${e.code}`;
    case 'OrderPendingReplace':
    case 'OrderReplaced':
      return `replace to ${e.quantity} @ ${e.price}`;
    case 'OrderExpired':
      return 'expired';
    default:
      return null;
  }
}

function merge(into: Outcome, from: Outcome): void {
  into.records.push(...from.records);
  into.venue.push(...from.venue);
  into.events.push(...from.events);
}
