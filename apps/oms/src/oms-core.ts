import type { Logger } from '@hft/logging';
import {
  envelope,
  nowNs,
  type CancelAllOrders,
  type CancelOrder,
  type ExecutionReport,
  type KillSwitchChanged,
  type MessageInput,
  type OrderApproved,
  type OrderStatus,
  type OrderStatusReported,
  RecentIds,
} from '@hft/messages';
import { BatchWriter } from './batch-writer.js';
import type { FillRow, Ledger, LedgerEvent, NewOrder, OrderUpdate } from './ledger.js';
import type { OmsMetrics } from './oms-metrics.js';
import { OrderRegistry } from './order-registry.js';
import { isTerminal, type OrderRecord } from './order-state.js';
import { canTransition } from './state-machine.js';

/** Messages the OMS sends: to the venue, and back to risk (which relays to the strategy). */
export interface OmsLinks {
  toVenue(msg: MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'>): boolean;
  toRisk(peer: Buffer, msg: MessageInput<'OrderSubmitted'> | MessageInput<'OrderRejected'> | MessageInput<'OrderCancelRejected'> | MessageInput<'OrderCanceled'>): void;
  /** Ask the venue for an order's status; resolves with its report (status null when unknown). */
  queryVenue(o: OrderRecord): Promise<OrderStatusReported>;
  /** Best-effort mirror of open orders for fast reads (Redis); errors are counted, not raised. */
  mirror(o: OrderRecord): void;
}

export interface OmsSettings {
  batchMax: number;
  bufferMax: number;
  retryInitialMs: number;
  retryMaxMs: number;
}

interface PendingOrder {
  order: NewOrder;
  peer: Buffer;
  causationId: string;
}

interface EventBatchItem {
  event: LedgerEvent;
  fill: FillRow | null;
  update: OrderUpdate;
}

/**
 * The OMS: ledger first, then the venue. An approved order is written to Postgres (batched) before
 * it is acknowledged to risk and sent to execution, so the ledger is the system of record; execution
 * reports move orders through the FIX state machine (illegal transitions refused) and are ledgered
 * in batches. While Postgres is away everything waits in bounded buffers and is retried; when the
 * order buffer is full new orders are refused with a clear reason, never dropped.
 */
/** Reconciliation news kept for risk while its address is unknown. */
const FOR_RISK_MAX = 10_000;

export class OmsCore {
  readonly open = new OrderRegistry();
  private readonly seenExec = new RecentIds(1_000_000);
  private readonly orderWriter: BatchWriter<PendingOrder, Awaited<ReturnType<Ledger['insertOrders']>>>;
  private readonly eventWriter: BatchWriter<EventBatchItem, void>;
  /** clientOrderIds accepted into the order buffer but not yet ledgered. */
  /** The risk daemon's socket identity as last seen (it changes when risk restarts). */
  private riskPeer: Buffer | null = null;
  private readonly forRisk: MessageInput<'OrderCanceled'>[] = [];
  /** Approved orders waiting for the ledger, by strategy + clientOrderId (their symbol, for cancel-all). */
  private readonly pendingKeys = new Map<string, string>();
  /** Cancels that arrived while their order was still waiting for the ledger. */
  private readonly cancelAfterLedger = new Map<string, string>();

  constructor(
    private readonly ledger: Ledger,
    private readonly links: OmsLinks,
    private readonly m: OmsMetrics,
    private readonly log: Logger,
    s: OmsSettings,
  ) {
    const writer = <T, R>(kind: string, capacity: number, concurrency: number, write: (b: T[]) => Promise<R>, after?: (b: T[], r: R) => void) =>
      new BatchWriter<T, R>({
        name: kind,
        capacity,
        batchMax: s.batchMax,
        concurrency,
        retryInitialMs: s.retryInitialMs,
        retryMaxMs: s.retryMaxMs,
        write,
        ...(after ? { after } : {}),
        onBatch: (n, sec) => {
          this.m.batchSize.observe({ kind }, n);
          this.m.writeSeconds.observe({ kind }, sec);
        },
        onRetry: (err, attempt, delay) => {
          this.m.retries.inc({ kind });
          if (attempt === 1 || attempt % 10 === 0) this.log.error({ kind, attempt, retryInMs: delay, err: err.message }, 'ledger write failed; holding and retrying');
        },
        onRecovered: () => this.log.info({ kind }, 'ledger writes recovered'),
      });
    // New orders: two transactions in flight (inserts are independent); acks and sends stay in order.
    this.orderWriter = writer('orders', s.bufferMax, 3, (b: PendingOrder[]) => this.ledger.insertOrders(b.map((p) => p.order)), (b, r) => this.ordersLedgered(b, r));
    // Reports cannot be refused (the venue already acted): their buffer is far larger. One at a time:
    // the projection of an order must move in event order.
    this.eventWriter = writer('events', s.bufferMax * 10, 1, (b: EventBatchItem[]) => this.writeEvents(b));
  }

  get ledgerFailing(): boolean {
    return this.orderWriter.failing || this.eventWriter.failing;
  }

  depths(): { orders: number; events: number } {
    return { orders: this.orderWriter.depth, events: this.eventWriter.depth };
  }

  /** Rebuild open orders from the ledger (after a restart). */
  async recover(): Promise<number> {
    const rows = await this.ledger.openOrders();
    for (const o of rows) {
      this.open.add(o);
      this.links.mirror(o);
    }
    for (const id of await this.ledger.execIds(rows.map((o) => o.orderId))) this.seenExec.add(id);
    this.m.open.set(this.open.size);
    return rows.length;
  }

  // ---- orders from risk

  onApproved(a: OrderApproved, peer: Buffer): void {
    this.heardFromRisk(peer);
    const key = `${a.strategyId}\u0000${a.clientOrderId}`;
    const known = this.open.byClientId(a.strategyId, a.clientOrderId);
    if (known || this.pendingKeys.has(key)) {
      // Risk resends what it has not seen acknowledged: acknowledge again, never ledger twice.
      this.m.duplicates.inc({ kind: 'order' });
      if (known) this.links.toRisk(peer, { type: 'OrderSubmitted', ...envelope(a), strategyId: a.strategyId, clientOrderId: a.clientOrderId, symbol: a.symbol, orderId: known.orderId });
      return;
    }
    const order: NewOrder = {
      strategyId: a.strategyId,
      clientOrderId: a.clientOrderId,
      symbol: a.symbol,
      side: a.side,
      orderType: a.orderType,
      timeInForce: a.timeInForce,
      postOnly: a.postOnly,
      price: a.price,
      quantity: a.quantity,
      tsTick: a.tsTick,
      // The order row carries every field; the event keeps what it alone knows (ids and times).
      payload: { eventId: a.eventId, causationId: a.causationId, tsInit: a.tsInit },
      tsEvent: a.tsEvent,
    };
    if (!this.orderWriter.push({ order, peer, causationId: a.eventId })) {
      this.m.refused.inc({ reason: 'buffer_full' });
      this.links.toRisk(peer, {
        type: 'OrderRejected',
        ...envelope(a),
        strategyId: a.strategyId,
        clientOrderId: a.clientOrderId,
        symbol: a.symbol,
        orderId: null,
        code: 'OMS_BUFFER_FULL',
        reason: `OMS not accepting orders: ${this.orderWriter.depth} orders are waiting for the ledger (Postgres ${this.orderWriter.failing ? 'unreachable' : 'slow'})`,
      });
      return;
    }
    this.pendingKeys.set(key, a.symbol);
    this.m.bufferDepth.set({ kind: 'orders' }, this.orderWriter.depth);
  }

  private ordersLedgered(batch: PendingOrder[], results: Awaited<ReturnType<Ledger['insertOrders']>>): void {
    batch.forEach((p, i) => {
      const r = results[i]!;
      const o = p.order;
      this.pendingKeys.delete(`${o.strategyId}\u0000${o.clientOrderId}`);
      const ack: MessageInput<'OrderSubmitted'> = { type: 'OrderSubmitted', ...envelope({ eventId: p.causationId }), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: r.orderId };
      if (r.duplicate) {
        this.m.duplicates.inc({ kind: 'order' });
        this.links.toRisk(p.peer, ack);
        return;
      }
      const { payload: _p, tsEvent: _t, ...fields } = o;
      const rec: OrderRecord = { ...fields, orderId: r.orderId, status: 'PendingNew', cumQty: 0, leavesQty: o.quantity, avgPx: null, lastSeq: 1, forwarded: false, acked: false, cancelWanted: null };
      this.open.add(rec);
      this.m.transitions.inc({ status: 'PendingNew' });
      this.links.toRisk(p.peer, ack);
      this.forward(rec, p.causationId);
    });
    this.m.open.set(this.open.size);
    this.m.bufferDepth.set({ kind: 'orders' }, this.orderWriter.depth);
    if (this.cancelAfterLedger.size) this.flushLateCancels();
  }

  private forward(o: OrderRecord, causationId: string | null): void {
    const sent = this.links.toVenue({
      type: 'SubmitOrder',
      ...envelope(causationId ? { eventId: causationId } : null),
      strategyId: o.strategyId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      orderType: o.orderType,
      timeInForce: o.timeInForce,
      postOnly: o.postOnly,
      price: o.price,
      quantity: o.quantity,
      tsTick: o.tsTick,
      orderId: o.orderId,
    });
    // Not sent (venue queue full): it stays PendingNew and the reconciler sends it again.
    o.forwarded = sent;
    this.links.mirror(o);
    if (sent && o.cancelWanted) {
      const reason = o.cancelWanted;
      o.cancelWanted = null;
      this.requestCancel(o, reason, null);
    }
  }

  onCancel(c: CancelOrder, peer: Buffer): void {
    this.heardFromRisk(peer);
    const o = (c.orderId !== undefined ? this.open.get(c.orderId) : undefined) ?? this.open.byClientId(c.strategyId, c.clientOrderId);
    if (!o || o.strategyId !== c.strategyId) {
      const pending = this.pendingKeys.has(`${c.strategyId}\u0000${c.clientOrderId}`);
      if (!pending) {
        this.m.refused.inc({ reason: 'cancel_unknown' });
        this.links.toRisk(peer, { type: 'OrderCancelRejected', ...envelope(c), strategyId: c.strategyId, clientOrderId: c.clientOrderId, symbol: c.symbol, orderId: c.orderId ?? null, code: 'UNKNOWN_ORDER', reason: 'no open order with this clientOrderId (filled, canceled or never accepted)' });
        return;
      }
      // Still waiting for the ledger: cancel once it has gone to the venue.
      this.cancelAfterLedger.set(`${c.strategyId}\u0000${c.clientOrderId}`, c.reason);
      return;
    }
    this.requestCancel(o, c.reason, c.eventId);
  }

  private requestCancel(o: OrderRecord, reason: string, causationId: string | null): boolean {
    if (o.status === 'PendingCancel') return false;
    if (!o.forwarded) {
      o.cancelWanted = reason;
      return true;
    }
    const ok = this.transition(o, 'PendingCancel', {
      eventType: 'CancelRequested',
      execId: causationId ? `cxl-${causationId}` : null,
      qty: o.leavesQty,
      price: null,
      payload: { reason },
      tsEvent: nowNs(),
      reason,
    });
    if (!ok) return false;
    this.links.toVenue({ type: 'CancelOrder', ...envelope(causationId ? { eventId: causationId } : null), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId, reason });
    return true;
  }

  /** Cancel every open order in scope (kill-switch). Returns how many cancels were requested. */
  onCancelAll(c: CancelAllOrders): number {
    const inScope = (strategyId: string, symbol: string): boolean => (c.scope !== 'strategy' || strategyId === c.strategyId) && (c.scope !== 'symbol' || symbol === c.symbol);
    let n = 0;
    for (const o of this.open.all()) {
      if (inScope(o.strategyId, o.symbol) && this.requestCancel(o, c.reason, null)) n++;
    }
    // Approved before the switch but still on their way into the ledger: cancelled as they leave it.
    for (const [key, symbol] of this.pendingKeys) {
      if (inScope(key.slice(0, key.indexOf('\u0000')), symbol)) {
        this.cancelAfterLedger.set(key, c.reason);
        n++;
      }
    }
    this.log.warn({ scope: c.scope, strategyId: c.strategyId, symbol: c.symbol, canceled: n }, 'cancel-all');
    if (c.causationId) {
      this.ledger
        .recordKillSwitchCancels({ eventId: c.causationId, scope: c.scope, target: c.strategyId ?? c.symbol, reason: c.reason, tsEvent: c.tsEvent, canceled: n })
        .catch((e: Error) => this.log.error({ err: e.message }, 'cannot record the kill-switch cancels in the audit table'));
    }
    return n;
  }

  onKillSwitchChanged(k: KillSwitchChanged): void {
    this.ledger
      .recordKillSwitch({ eventId: k.eventId, scope: k.scope, target: k.target, engaged: k.engaged, reason: k.reason, actor: k.actor, tsEvent: k.tsEvent })
      .catch((e: Error) => this.log.error({ err: e.message, eventId: k.eventId }, 'cannot write kill-switch audit row'));
  }

  // ---- execution reports

  onReport(r: ExecutionReport): void {
    if (r.type === 'OrderStatusReported') return;
    const o = r.orderId !== null ? this.open.get(r.orderId) : this.open.byClientId(r.strategyId, r.clientOrderId);
    const execId = r.type === 'OrderFilled' ? r.execId : r.eventId;
    if (this.seenExec.has(execId)) {
      this.m.duplicates.inc({ kind: 'report' });
      return;
    }
    if (!o) {
      this.m.unknownReports.inc();
      return;
    }
    this.seenExec.add(execId);
    switch (r.type) {
      case 'OrderAccepted':
        // An ack after fills or a cancel request is old news: nothing to move.
        o.acked = true;
        if (o.status === 'PendingNew') this.transition(o, 'New', { eventType: r.type, execId, qty: null, price: r.price, payload: r, tsEvent: r.tsEvent, reason: null });
        break;
      case 'OrderFilled':
        this.fill(o, { execId, lastPx: r.lastPx, lastQty: r.lastQty, fee: r.fee, liquidity: r.liquidity, tsEvent: r.tsEvent }, r);
        break;
      case 'OrderCanceled':
        this.transition(o, 'Canceled', { eventType: r.type, execId, qty: r.canceledQty, price: null, payload: r, tsEvent: r.tsEvent, reason: r.reason, leaves: 0 });
        break;
      case 'OrderExpired':
        this.transition(o, 'Expired', { eventType: r.type, execId, qty: r.expiredQty, price: null, payload: r, tsEvent: r.tsEvent, reason: 'expired', leaves: 0 });
        break;
      case 'OrderRejected':
        this.transition(o, 'Rejected', { eventType: r.type, execId, qty: null, price: null, payload: r, tsEvent: r.tsEvent, reason: `${r.code}: ${r.reason}`, leaves: 0 });
        break;
      case 'OrderCancelRejected':
        if (o.status === 'PendingCancel') {
          // Back to where it was: a cancel can overtake the venue's ack of the order itself.
          this.transition(o, o.cumQty > 0 ? 'PartiallyFilled' : o.acked ? 'New' : 'PendingNew', { eventType: r.type, execId, qty: null, price: null, payload: r, tsEvent: r.tsEvent, reason: `cancel rejected: ${r.reason}` });
        }
        break;
    }
  }

  private fill(o: OrderRecord, f: { execId: string; lastPx: number; lastQty: number; fee: number; liquidity: 'maker' | 'taker'; tsEvent: bigint }, payload: unknown): boolean {
    const cum = round(o.cumQty + f.lastQty);
    if (cum > o.quantity + 1e-9) {
      this.m.illegal.inc({ from: o.status, to: 'overfill' });
      this.log.error({ orderId: o.orderId, execId: f.execId, cumQty: cum, quantity: o.quantity }, 'fill would exceed the order quantity: refused');
      return false;
    }
    const leaves = round(o.quantity - cum);
    const to: OrderStatus = leaves <= 0 ? 'Filled' : o.status === 'PendingCancel' ? 'PendingCancel' : 'PartiallyFilled';
    const avg = ((o.avgPx ?? 0) * o.cumQty + f.lastPx * f.lastQty) / cum;
    o.acked = true;
    const fill: FillRow = { execId: f.execId, orderId: o.orderId, strategyId: o.strategyId, symbol: o.symbol, side: o.side, price: f.lastPx, qty: f.lastQty, fee: f.fee, liquidity: f.liquidity, tsEvent: f.tsEvent };
    return this.transition(o, to, { eventType: 'OrderFilled', execId: f.execId, qty: f.lastQty, price: f.lastPx, payload, tsEvent: f.tsEvent, reason: null, cum, leaves, avg, fill });
  }

  /** Apply a state change to memory and queue it for the ledger; false (logged) when illegal. */
  private transition(
    o: OrderRecord,
    to: OrderStatus,
    e: { eventType: string; execId: string | null; qty: number | null; price: number | null; payload: unknown; tsEvent: bigint; reason: string | null; cum?: number; leaves?: number; avg?: number; fill?: FillRow },
  ): boolean {
    // PendingCancel -> PendingCancel happens for a fill while the cancel is in flight.
    const same = o.status === to && (to === 'PartiallyFilled' || to === 'PendingCancel') && e.fill !== undefined;
    if (!same && !canTransition(o.status, to)) {
      this.m.illegal.inc({ from: o.status, to });
      this.log.warn({ orderId: o.orderId, from: o.status, to, event: e.eventType, execId: e.execId }, 'illegal transition refused (not applied)');
      return false;
    }
    o.status = to;
    if (e.cum !== undefined) o.cumQty = e.cum;
    if (e.leaves !== undefined) o.leavesQty = e.leaves;
    if (e.avg !== undefined) o.avgPx = e.avg;
    o.lastSeq++;
    this.m.transitions.inc({ status: to });
    const pushed = this.eventWriter.push({
      event: { orderId: o.orderId, seq: o.lastSeq, eventType: e.eventType, execId: e.execId, status: to, qty: e.qty, price: e.price, payload: e.payload, tsEvent: e.tsEvent },
      fill: e.fill ?? null,
      update: { orderId: o.orderId, status: to, cumQty: o.cumQty, leavesQty: o.leavesQty, avgPx: o.avgPx, lastSeq: o.lastSeq, reason: e.reason },
    });
    if (!pushed) this.log.error({ orderId: o.orderId, event: e.eventType }, 'event buffer full: event kept in memory only until reconciliation');
    this.m.bufferDepth.set({ kind: 'events' }, this.eventWriter.depth);
    if (isTerminal(to)) this.open.remove(o);
    this.links.mirror(o);
    this.m.open.set(this.open.size);
    return true;
  }

  private async writeEvents(batch: EventBatchItem[]): Promise<void> {
    // One projection row per order: its latest state in the batch.
    const last = new Map<number, OrderUpdate>();
    for (const b of batch) last.set(b.update.orderId, b.update);
    await this.ledger.applyEvents(
      batch.map((b) => b.event),
      batch.flatMap((b) => (b.fill ? [b.fill] : [])),
      [...last.values()],
    );
    this.m.bufferDepth.set({ kind: 'events' }, this.eventWriter.depth - batch.length);
  }

  // ---- reconciliation with the venue

  /**
   * Ask the venue about every open order and repair what differs: fills we never heard of are
   * ledgered, terminal states applied, orders the venue never received are sent (again).
   */
  async reconcile(maxOrders = 1000): Promise<{ checked: number; fixed: number }> {
    let fixed = 0;
    const orders = this.open.all().slice(0, maxOrders);
    for (const o of orders) {
      if (!this.open.get(o.orderId)) continue;
      let rep: OrderStatusReported;
      try {
        rep = await this.links.queryVenue(o);
      } catch (e) {
        this.log.warn({ orderId: o.orderId, err: (e as Error).message }, 'venue status query failed');
        continue;
      }
      if (rep.status === null) {
        if (o.status === 'PendingNew') {
          this.m.reconciled.inc({ kind: 'resent' });
          this.forward(o, null);
          fixed++;
        } else {
          // The venue lost it (venue restart): nothing can fill it any more.
          this.m.reconciled.inc({ kind: 'lost_at_venue' });
          const leaves = o.leavesQty;
          if (this.transition(o, 'Canceled', { eventType: 'ReconciledCanceled', execId: `rec-${rep.eventId}`, qty: o.leavesQty, price: null, payload: rep, tsEvent: rep.tsEvent, reason: 'unknown at the venue', leaves: 0 })) {
            this.endedByReconciliation(o, leaves, 'unknown at the venue');
            fixed++;
          }
        }
        continue;
      }
      for (const f of rep.fills) {
        if (this.seenExec.has(f.execId) || !this.open.get(o.orderId)) continue;
        this.seenExec.add(f.execId);
        if (this.fill(o, f, { ...f, reconciled: true })) {
          this.m.reconciled.inc({ kind: 'fill' });
          fixed++;
        }
      }
      if (!this.open.get(o.orderId)) continue;
      // A rejected order was never accepted: it goes straight to Rejected.
      if ((o.status === 'PendingNew' || (o.status === 'PendingCancel' && !o.acked)) && rep.status !== 'PendingNew' && rep.status !== 'Rejected') {
        o.acked = true;
        if (o.status === 'PendingNew' && this.transition(o, 'New', { eventType: 'ReconciledAccepted', execId: `rec-ack-${o.orderId}`, qty: null, price: o.price, payload: rep, tsEvent: rep.tsEvent, reason: null })) fixed++;
      }
      if ((rep.status === 'Canceled' || rep.status === 'Expired' || rep.status === 'Rejected') && this.open.get(o.orderId)) {
        this.m.reconciled.inc({ kind: 'terminal' });
        const leaves = o.leavesQty;
        if (this.transition(o, rep.status, { eventType: `Reconciled${rep.status}`, execId: `rec-${rep.status}-${o.orderId}`, qty: o.leavesQty, price: null, payload: rep, tsEvent: rep.tsEvent, reason: 'reconciled with the venue', leaves: 0 })) {
          this.endedByReconciliation(o, leaves, `${rep.status} at the venue`);
          fixed++;
        }
      }
    }
    return { checked: orders.length, fixed };
  }

  /**
   * Risk learns an order is over from execution reports; an order ended by reconciliation never had
   * one (the venue lost it, or the report was missed), so risk is told here to release its working qty.
   */
  private endedByReconciliation(o: OrderRecord, leaves: number, reason: string): void {
    const msg: MessageInput<'OrderCanceled'> = { type: 'OrderCanceled', ...envelope(), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId, canceledQty: leaves, cumQty: o.cumQty, reason };
    if (this.riskPeer) this.links.toRisk(this.riskPeer, msg);
    // Risk's address is learnt from its first message (at startup it is not known yet): keep the
    // news until then. Beyond the bound, risk's ledger catch-up still finds these orders ended.
    else if (this.forRisk.push(msg) > FOR_RISK_MAX) this.forRisk.shift();
  }

  private heardFromRisk(peer: Buffer): void {
    this.riskPeer = peer;
    for (const msg of this.forRisk.splice(0)) this.links.toRisk(peer, msg);
  }

  /** Deliver cancels that arrived while their order waited for the ledger. */
  flushLateCancels(): void {
    for (const [key, reason] of this.cancelAfterLedger) {
      const [strategyId, clientOrderId] = key.split('\u0000') as [string, string];
      const o = this.open.byClientId(strategyId, clientOrderId);
      if (o) {
        this.requestCancel(o, reason, null);
        this.cancelAfterLedger.delete(key);
      } else if (!this.pendingKeys.has(key)) {
        this.cancelAfterLedger.delete(key);
      }
    }
  }

  async drain(): Promise<void> {
    await this.orderWriter.drain();
    await this.eventWriter.drain();
  }

  close(): void {
    this.orderWriter.close();
    this.eventWriter.close();
  }
}

function round(q: number): number {
  return Math.round(q * 1e9) / 1e9;
}
