import type { Logger } from '@hft/logging';
import {
  DenyCode,
  encodeMessage,
  envelope,
  nowNs,
  topics,
  type CancelAllOrders,
  type ReplaceOrder,
  type CancelOrder,
  type KillSwitchChanged,
  type OrderApproved,
  type OrderEvent,
  type OrderStatusReported,
  type StrategyState,
  type VenueReport,
} from '@hft/messages';
import type { ManagedOrder, OrderManager, Outcome, VenueCommand } from '@hft/orders';
import type { Publisher } from '@hft/transport';
import { BatchWriter } from './batch-writer.js';
import type { Journal } from './journal.js';
import { encodeRecord, type Journaled } from './journal-record.js';
import type { Ledger } from './ledger.js';
import type { OmsMetrics } from './oms-metrics.js';
import { RecentEvents } from './recent-events.js';

export interface OmsLinks {
  toVenue(cmd: VenueCommand): boolean;
  queryVenue(o: ManagedOrder): Promise<OrderStatusReported>;
}

export interface OmsSettings {
  batchMax: number;
  /** Journal records waiting for Postgres beyond which new orders are denied. */
  backlogMax: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Group commit: how long the ledger writer gathers records before a write. */
  lingerMs: number;
  /** Events kept in memory per strategy for catch-up reads. */
  recentEvents: number;
}

type Audit = { kind: 'state'; k: KillSwitchChanged } | { kind: 'cancels'; c: CancelAllOrders; canceled: number };

/**
 * The OMS: single writer of order state. Each input goes through the order manager; what it decides
 * is appended to the journal (one write), then sent to the venue and published on the order-event
 * stream, and written to Postgres in batches behind. Nothing on this path waits for the database.
 */
export class OmsService {
  private readonly writer: BatchWriter<Journaled, { renamed: number }>;
  private readonly audits: BatchWriter<Audit, void>;
  private readonly recent: RecentEvents;
  private reconciling = false;
  private readonly listeners: ((e: OrderEvent) => void)[] = [];

  constructor(
    private readonly manager: OrderManager,
    private readonly journal: Journal,
    private readonly ledger: Ledger,
    private readonly stream: Publisher,
    private readonly links: OmsLinks,
    private readonly m: OmsMetrics,
    private readonly log: Logger,
    private readonly s: OmsSettings,
  ) {
    this.recent = new RecentEvents(s.recentEvents);
    const retrying = { retryInitialMs: s.retryInitialMs, retryMaxMs: s.retryMaxMs, concurrency: 1 };
    this.writer = new BatchWriter({
      name: 'ledger',
      // Never refused: what the journal holds must reach Postgres. New orders are denied instead (backlogMax).
      capacity: Number.MAX_SAFE_INTEGER,
      batchMax: s.batchMax,
      lingerMs: s.lingerMs,
      ...retrying,
      write: (b) => this.ledger.write(b),
      after: (b, r) => {
        const lsn = b.at(-1)!.lsn;
        this.journal.committed(lsn);
        this.recent.committed(lsn);
        if (r.renamed) {
          this.m.renamed.inc(r.renamed);
          this.log.error({ renamed: r.renamed }, 'new orders reused clientOrderIds the ledger already held: ledgered as <id>#<orderId>');
        }
        this.m.backlog.set(this.writer.depth);
      },
      onBatch: (n, sec) => {
        this.m.batchSize.observe(n);
        this.m.writeSeconds.observe(sec);
      },
      onRetry: (err, attempt, delay) => {
        this.m.retries.inc();
        if (attempt === 1 || attempt % 10 === 0) this.log.error({ attempt, retryInMs: delay, backlog: this.writer.depth, err: err.message }, 'ledger write failed; the journal holds the records, retrying');
      },
      onRecovered: () => this.log.info({ backlog: this.writer.depth }, 'ledger writes recovered'),
    });
    this.audits = new BatchWriter({
      name: 'audit',
      capacity: 100_000,
      batchMax: 1,
      ...retrying,
      write: async ([a]) => {
        if (a!.kind === 'state') await this.ledger.recordKillSwitch({ ...a!.k, target: a!.k.target });
        else await this.ledger.recordKillSwitchCancels({ eventId: a!.c.causationId!, scope: a!.c.scope, target: a!.c.strategyId ?? a!.c.symbol, reason: a!.c.reason, tsEvent: a!.c.tsEvent, canceled: a!.canceled });
      },
    });
  }

  /** Every order event published, after the input that made it is fully applied (the trigger engine follows its children here). */
  onEvents(fn: (e: OrderEvent) => void): void {
    this.listeners.push(fn);
  }

  get ledgerFailing(): boolean {
    return this.writer.failing;
  }

  get backlog(): number {
    return this.writer.depth;
  }

  /** Re-queue what the journal held beyond the ledger's checkpoint (after a crash). */
  replayed(entries: Journaled[]): void {
    for (const e of entries) {
      this.manager.replay(e.record);
      if (e.record.kind === 'event') this.recent.add(e.lsn, e.record.event);
      this.writer.push(e);
    }
    this.m.replayed.inc(entries.length);
    this.m.open.set(this.manager.open.size);
    this.m.backlog.set(this.writer.depth);
  }

  // ---- inputs

  /** `receivedAt`: when the approval reached this process (its omsIn stamp). */
  onApproved(a: OrderApproved, receivedAt: bigint | null = null): void {
    if (this.writer.depth >= this.s.backlogMax) {
      this.apply(this.manager.deny(a, DenyCode.LedgerBacklogFull, `${this.writer.depth} journal records are waiting for the ledger (Postgres ${this.writer.failing ? 'unreachable' : 'slow'})`));
      return;
    }
    const out = this.manager.approve(a);
    for (const v of out.venue) if (v.type === 'VenueSubmitOrder' && v.stamps && receivedAt !== null) v.stamps.omsIn = receivedAt;
    this.apply(out);
  }

  onCancel(c: CancelOrder): void {
    this.apply(this.manager.cancel(c));
  }

  onReplace(r: ReplaceOrder): void {
    this.apply(this.manager.replace(r));
  }

  onCancelAll(c: CancelAllOrders): number {
    const out = this.manager.cancelAll(c);
    this.apply(out);
    this.log.warn({ scope: c.scope, strategyId: c.strategyId, symbol: c.symbol, canceled: out.canceled }, 'cancel-all');
    if (c.causationId) this.audits.push({ kind: 'cancels', c, canceled: out.canceled });
    return out.canceled;
  }

  onKillSwitchChanged(k: KillSwitchChanged): void {
    this.audits.push({ kind: 'state', k });
  }

  onVenueReport(r: VenueReport): void {
    this.apply(this.manager.onVenueReport(r));
  }

  /** Journal, then send, then publish: the order of what a crash may interrupt. */
  private apply(out: Outcome): void {
    if (out.ignored) {
      this.m.ignored.inc({ reason: out.ignored });
      if (out.ignored === 'illegal' || out.ignored === 'overfill' || out.ignored === 'wrong_order') this.log.warn({ reason: out.ignored, detail: out.detail }, 'order event refused by the lifecycle (not applied)');
    }
    if (!out.records.length && !out.venue.length) return;
    const t0 = performance.now();
    const encoded = out.records.map(encodeRecord);
    const lsns = this.journal.append(encoded.map((e) => e.text));
    this.m.journalSeconds.observe((performance.now() - t0) / 1000);
    // Not sent (queue full): the order stays PendingNew and reconciliation sends it again.
    for (const v of out.venue) {
      if (v.type === 'VenueSubmitOrder' && v.stamps) v.stamps.omsOut = nowNs();
      this.links.toVenue(v);
    }
    const published: OrderEvent[] = [];
    out.records.forEach((record, i) => {
      const j: Journaled = { lsn: lsns[i]!, record, wire: encoded[i]!.wire };
      if (record.kind === 'event') {
        const ev = record.event;
        published.push(ev);
        this.recent.add(j.lsn, ev);
        this.stream.publish(topics.orderEvents(ev.strategyId), j.wire!);
        this.m.events.inc({ type: ev.type });
        if (record.projection) this.m.transitions.inc({ status: record.projection.status });
        if (ev.type === 'OrderDenied') this.m.denials.inc({ code: ev.code });
      }
      this.writer.push(j);
    });
    this.m.backlog.set(this.writer.depth);
    this.m.open.set(this.manager.open.size);
    // Listeners may cause new inputs (a cancel): they run once this one's events are all out, in order.
    if (this.listeners.length) for (const e of published) for (const fn of this.listeners) fn(e);
  }

  /** Every stream's head, so a consumer also notices a gap at the end of a stream. */
  publishHeads(): void {
    this.stream.publish(topics.orderHeads, encodeMessage({ type: 'OrderStreamHeads', ...envelope(), heads: this.manager.allHeads() }));
  }

  // ---- reads

  state(strategyId?: string): StrategyState[] {
    return this.manager.state(strategyId);
  }

  /**
   * A page of one strategy's stream, as the wire carries it (JSON: nanoseconds as decimal strings):
   * from memory when it holds them, otherwise from Postgres, then memory for what is not committed yet.
   */
  async events(strategyId: string, after: number, limit: number): Promise<{ strategyId: string; head: number; events: unknown[] }> {
    const head = this.manager.head(strategyId);
    const wire = (events: OrderEvent[]): unknown[] => events.map((e) => JSON.parse(encodeMessage(e).toString()) as unknown);
    const fromMemory = this.recent.after(strategyId, after, limit);
    if (fromMemory) return { strategyId, head, events: wire(fromMemory) };
    const stored = await this.ledger.events(strategyId, after, limit);
    const reached = after + stored.length;
    const rest = stored.length < limit ? (this.recent.after(strategyId, reached, limit - stored.length) ?? []) : [];
    return { strategyId, head, events: [...stored, ...wire(rest)] };
  }

  // ---- reconciliation with the venue

  /**
   * Ask the venue about every open order and repair what differs: fills we never heard of, acks,
   * terminal states; an order it never received is sent again, one it lost is canceled.
   */
  async reconcile(maxOrders = 2000): Promise<{ checked: number; fixed: number }> {
    if (this.reconciling) return { checked: 0, fixed: 0 };
    this.reconciling = true;
    let fixed = 0;
    try {
      const orders = this.manager.open.all().slice(0, maxOrders);
      for (const o of orders) {
        if (!this.manager.open.get(o.orderId!)) continue;
        let rep: OrderStatusReported;
        try {
          rep = await this.links.queryVenue(o);
        } catch (e) {
          this.log.warn({ orderId: o.orderId, err: (e as Error).message }, 'venue status query failed');
          continue;
        }
        const out = this.manager.reconcile(o, rep);
        for (const k of out.fixed) this.m.reconciled.inc({ kind: k });
        fixed += out.fixed.length;
        this.apply(out);
      }
      return { checked: orders.length, fixed };
    } finally {
      this.reconciling = false;
    }
  }

  async drain(): Promise<void> {
    await this.writer.drain();
    await this.audits.drain();
  }

  close(): void {
    this.writer.close();
    this.audits.close();
  }
}
