import type { InstrumentRegistry } from '@hft/config';
import type { Logger } from '@hft/logging';
import {
  ConditionalRefuseCode,
  encodeMessageText,
  envelope,
  nowNs,
  TickKind,
  topics,
  type BookSnapshot,
  type CancelAllOrders,
  type CancelConditionalOrder,
  type CancelOrder,
  type ConditionalView,
  type DenyCode,
  type KillSwitchChanged,
  type MessageInput,
  type ModifyConditionalOrder,
  type OrderEvent,
  type TickFrame,
} from '@hft/messages';
import { fromUnits } from '@hft/orders';
import { ConditionalBook, applyChange, applyTrail, childProgress, conditionalEvent, isOpen, onGrid, toPart, toSpec, toView, type ChildOrder, type ConditionalChange, type ConditionalOrderSpec, type ConditionalRecord, type PartSpec, type PlaceFields } from '@hft/triggers';
import type { Publisher } from '@hft/transport';
import { BatchWriter } from './batch-writer.js';
import { decodeConditionalEntry, encodeConditionalEntry, type ConditionalEntry, type ConditionalLedger } from './conditional-ledger.js';
import type { ConditionalMetrics } from './conditional-metrics.js';
import type { Journal, JournalEntry } from './journal.js';

export interface ConditionalLinks {
  /** A released child, to risk (a new decision like any order); false when the queue to risk is full. */
  toRisk(msg: MessageInput<'SubmitOrder'>): boolean;
  /** Cancel a working child (through the OMS's own cancel path). */
  cancelOrder(msg: CancelOrder): void;
  /** Does the OMS have (or had) this order? */
  knows(strategyId: string, clientOrderId: string): boolean;
}

export interface ConditionalSettings {
  batchMax: number;
  lingerMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Journal records waiting for Postgres beyond which placements are refused. */
  backlogMax: number;
  /** A released child the OMS has not seen after this long is sent to risk again (risk drops a duplicate). */
  resendAfterMs: number;
}

export type Outcome = { ok: true; view: ConditionalView } | { ok: false; code: ConditionalRefuseCode; reason: string };


/**
 * The OMS's trigger engine: conditional orders wait here on the market data of their symbols (the
 * OMS subscribes while any waits); a triggered part's child goes to risk as a new order, and its
 * order events come back through the OMS like any other. Every change is journaled before anything
 * it causes is sent, published on conditional.<STRATEGY> and written to Postgres behind, like orders.
 */
export class ConditionalService {
  readonly book: ConditionalBook;
  private readonly heads = new Map<string, number>();
  private readonly writer: BatchWriter<ConditionalEntry, void>;
  private readonly engaged = new Set<string>();
  /** When each released child was last sent, for the resend of those the OMS has not seen. */
  private readonly sentAt = new Map<string, number>();
  private tickPublished: bigint | null = null;

  constructor(
    private readonly instruments: InstrumentRegistry,
    private readonly journal: Journal,
    private readonly ledger: ConditionalLedger,
    private readonly stream: Publisher,
    private readonly links: ConditionalLinks,
    private readonly m: ConditionalMetrics,
    private readonly log: Logger,
    private readonly s: ConditionalSettings,
    /** A symbol got its first waiting order: subscribe to its market data. */
    private readonly watch: (symbol: string) => void,
  ) {
    this.book = new ConditionalBook({
      changed: (r, c) => this.record(r, c),
      trailed: (symbol, source, direction, price) => this.append({ kind: 'trail', symbol, source, direction, price }),
      submit: (r, child) => this.send(r.spec, child),
      cancelChild: (r, clientOrderId, reason) => this.links.cancelOrder({ type: 'CancelOrder', ...envelope(), strategyId: r.spec.strategyId, clientOrderId, symbol: r.spec.symbol, reason }),
    });
    this.writer = new BatchWriter({
      name: 'conditional',
      capacity: Number.MAX_SAFE_INTEGER,
      batchMax: s.batchMax,
      lingerMs: s.lingerMs,
      retryInitialMs: s.retryInitialMs,
      retryMaxMs: s.retryMaxMs,
      write: (b) => this.ledger.write(b, (ids, symbols) => this.current(ids, symbols)),
      after: (b) => {
        this.journal.committed(b.at(-1)!.lsn);
        this.m.backlog.set(this.writer.depth);
      },
      onRetry: (err, attempt, delay) => {
        if (attempt === 1 || attempt % 10 === 0) this.log.error({ attempt, retryInMs: delay, backlog: this.writer.depth, err: err.message }, 'conditional ledger write failed; the journal holds the records, retrying');
      },
    });
  }

  get backlog(): number {
    return this.writer.depth;
  }

  // ---- start-up

  /** The ledger's records and heads, then the journal's tail folded on top and queued for Postgres again. */
  restore(state: { heads: Map<string, number>; records: ConditionalRecord[] }, tail: JournalEntry[]): number {
    for (const [k, v] of state.heads) this.heads.set(k, v);
    const recs = new Map(state.records.map((r) => [r.spec.id, r]));
    const entries = tail.map(decodeConditionalEntry);
    for (const e of entries) {
      if (e.kind === 'trail') {
        for (const [id, r] of recs) if (isOpen(r) && r.spec.symbol === e.symbol) recs.set(id, applyTrail(r, e.source, e.direction, e.price));
      } else {
        this.heads.set(e.strategyId, Math.max(this.heads.get(e.strategyId) ?? 0, e.seq));
        const r = recs.get(e.id);
        // The row may already hold it: it is written as the OMS held it, possibly past the checkpoint.
        if ((r?.version ?? 0) < e.version) recs.set(e.id, applyChange(r, e.change));
      }
      this.writer.push(e);
    }
    this.book.restore(recs.values());
    for (const r of recs.values()) if (isOpen(r)) this.watch(r.spec.symbol);
    this.gauges();
    return entries.length;
  }

  /**
   * After a restart: children released before it that the OMS never received are sent again; those
   * it had and finished while the engine was not told are settled from the order ledger.
   */
  async settleReleased(): Promise<{ resent: number; settled: number }> {
    let resent = 0;
    let settled = 0;
    for (const { rec, child } of this.book.released()) {
      const sid = rec.spec.strategyId;
      if (!this.links.knows(sid, child.clientOrderId)) {
        this.send(rec.spec, child);
        resent++;
        continue;
      }
      const row = await this.ledger.childOrder(sid, child.clientOrderId);
      if (!row || ['PendingNew', 'New', 'PartiallyFilled', 'PendingCancel'].includes(row.status)) continue;
      const inst = this.instruments.get(rec.spec.symbol);
      const cum = Math.round(row.cumQty * inst.qtyScale);
      this.book.onChild(child.clientOrderId, cum, row.status === 'Filled' ? { how: 'filled' } : { how: 'canceled', reason: `${row.status} while the OMS restarted${row.reason ? `: ${row.reason}` : ''}` });
      settled++;
    }
    return { resent, settled };
  }

  // ---- commands (decimals, as on the wire)

  place(cmd: PlaceFields): Outcome {
    const refused = (code: ConditionalRefuseCode, reason: string): Outcome => {
      this.m.refusals.inc({ code });
      return { ok: false, code, reason };
    };
    const inst = this.instruments.find(cmd.symbol);
    if (!inst) return refused(ConditionalRefuseCode.UnknownInstrument, `${cmd.symbol} is not an instrument of this platform`);
    const ks = this.killSwitchFor(cmd.strategyId, cmd.symbol);
    if (ks) return refused(ConditionalRefuseCode.KillSwitch, `the ${ks} kill-switch is engaged: nothing new is placed`);
    if (this.writer.depth >= this.s.backlogMax) return refused(ConditionalRefuseCode.LedgerBacklogFull, `${this.writer.depth} records are waiting for the conditional ledger (Postgres ${this.writer.failing ? 'unreachable' : 'slow'})`);
    const spec = toSpec(cmd, inst);
    if ('code' in spec) return refused(spec.code, spec.reason);
    const r = this.book.place(spec);
    if (r) return refused(r.code, r.reason);
    this.watch(cmd.symbol);
    return { ok: true, view: this.view(spec.id)! };
  }

  modify(cmd: Omit<ModifyConditionalOrder, 'type' | 'eventId' | 'tsEvent' | 'tsInit' | 'causationId' | 'seq'>): Outcome {
    const rec = this.book.get(cmd.conditionalId);
    const owned = this.owned(rec, cmd.strategyId, cmd.conditionalId);
    if (owned) return owned;
    const inst = this.instruments.get(rec!.spec.symbol);
    const patch: { quantity?: number; entry?: PartSpec | null; legs?: PartSpec[] } = {};
    if (cmd.quantity !== undefined) {
      const q = onGrid(cmd.quantity, inst.qtyScale, inst.lotUnits);
      if (q === null) return this.refuse(ConditionalRefuseCode.OffGrid, `quantity ${cmd.quantity} is not a whole number of lots of ${inst.symbol}`);
      patch.quantity = q;
    }
    if (cmd.entry !== undefined) {
      const e = cmd.entry === null ? null : toPart(cmd.entry, inst, 'entry');
      if (e && 'code' in e) return this.refuse(e.code, e.reason);
      patch.entry = e;
    }
    if (cmd.legs) {
      const legs: PartSpec[] = [];
      for (const [i, l] of cmd.legs.entries()) {
        const p = toPart(l, inst, `legs.${i}`);
        if ('code' in p) return this.refuse(p.code, p.reason);
        legs.push(p);
      }
      patch.legs = legs;
    }
    const r = this.book.modify(cmd.conditionalId, patch);
    return r ? this.refuse(r.code, r.reason) : { ok: true, view: this.view(cmd.conditionalId)! };
  }

  cancel(cmd: Omit<CancelConditionalOrder, 'type' | 'eventId' | 'tsEvent' | 'tsInit' | 'causationId' | 'seq'>): Outcome {
    const owned = this.owned(this.book.get(cmd.conditionalId), cmd.strategyId, cmd.conditionalId);
    if (owned) return owned;
    const r = this.book.cancel(cmd.conditionalId, cmd.reason);
    return r ? this.refuse(r.code, r.reason) : { ok: true, view: this.view(cmd.conditionalId)! };
  }

  // ---- inputs

  /** Trades are the `last` price; quotes come from the book snapshots (best bid and ask). */
  onTicks(f: TickFrame): void {
    const t0 = performance.now();
    this.tickPublished = f.tsPublish;
    for (const t of f.ticks) if (t.kind === TickKind.Trade) this.book.onQuote(t.symbol, { last: t.priceUnits }, { seq: t.seq, ts: t.tsEvent });
    this.tickPublished = null;
    this.m.checkSeconds.observe((performance.now() - t0) / 1000 / Math.max(1, f.ticks.length));
  }

  onBook(b: BookSnapshot): void {
    const bid = b.bids[0]?.priceUnits;
    const ask = b.asks[0]?.priceUnits;
    if (bid === undefined && ask === undefined) return;
    this.tickPublished = b.tsPublish;
    this.book.onQuote(b.symbol, { ...(bid !== undefined ? { bid } : {}), ...(ask !== undefined ? { ask } : {}) }, { seq: b.seq, ts: b.tsEvent });
    this.tickPublished = null;
  }

  /** Every order event the OMS publishes: a child's fills and end move its conditional order. */
  onOrderEvent(e: OrderEvent): void {
    if (!e.clientOrderId.includes(':')) return;
    const inst = this.instruments.find(e.symbol);
    const p = inst && childProgress(e, inst.qtyScale);
    if (!p) return;
    if (this.book.onChild(e.clientOrderId, p.cumQty, p.ended)) this.sentAt.delete(e.clientOrderId);
    this.gauges();
  }

  /** Risk's answer to a child: a denial ends its conditional order. */
  onRiskDenied(clientOrderId: string, code: DenyCode, reason: string): void {
    if (this.book.onChildDenied(clientOrderId, code, reason)) this.sentAt.delete(clientOrderId);
    this.gauges();
  }

  /** A kill-switch (risk's cancel-all): what waits in its scope is cancelled; it stays engaged here until released. */
  onCancelAll(c: CancelAllOrders): number {
    this.engaged.add(scopeKey(c.scope, c.scope === 'strategy' ? c.strategyId : c.scope === 'symbol' ? c.symbol : null));
    // The reason is risk's ("kill-switch: <the officer's reason>"), as on the orders it cancels.
    const ids = this.book.cancelWhere((s) => c.scope === 'global' || (c.scope === 'strategy' && s.strategyId === c.strategyId) || (c.scope === 'symbol' && s.symbol === c.symbol), c.reason);
    if (ids.length) this.log.warn({ scope: c.scope, canceled: ids.length }, 'kill-switch cancelled conditional orders');
    this.gauges();
    return ids.length;
  }

  onKillSwitchChanged(k: KillSwitchChanged): void {
    const key = scopeKey(k.scope, k.target);
    if (k.engaged) this.engaged.add(key);
    else this.engaged.delete(key);
  }

  /** Children sent but not seen by the OMS after `resendAfterMs` (lost, or risk's queue was full): sent again. */
  resendUnseen(now = Date.now()): number {
    let n = 0;
    for (const { rec, child } of this.book.released()) {
      const at = this.sentAt.get(child.clientOrderId);
      if (at === undefined || now - at < this.s.resendAfterMs) continue;
      if (this.links.knows(rec.spec.strategyId, child.clientOrderId)) {
        this.sentAt.delete(child.clientOrderId);
        continue;
      }
      this.send(rec.spec, child);
      this.m.resent.inc();
      n++;
    }
    return n;
  }

  // ---- reads

  view(id: string): ConditionalView | undefined {
    const r = this.book.snapshot(id);
    return r && toView(r, this.book.levels(id), this.instruments.get(r.spec.symbol));
  }

  /** Orders held in memory, newest placements last. */
  views(f: { strategy?: string; status?: string; symbol?: string }): ConditionalView[] {
    const out: ConditionalView[] = [];
    for (const r of this.book.all()) {
      if ((f.strategy && r.spec.strategyId !== f.strategy) || (f.status && r.status !== f.status) || (f.symbol && r.spec.symbol !== f.symbol)) continue;
      out.push(this.view(r.spec.id)!);
    }
    return out;
  }

  /** A stored record as a view (orders this run no longer holds in memory). */
  viewOf(r: ConditionalRecord): ConditionalView {
    return toView(r, {}, this.instruments.get(r.spec.symbol));
  }

  async drain(): Promise<void> {
    await this.writer.drain();
  }

  close(): void {
    this.writer.close();
  }

  // ---- inside

  private refuse(code: ConditionalRefuseCode, reason: string): Outcome {
    this.m.refusals.inc({ code });
    return { ok: false, code, reason };
  }

  private owned(rec: ConditionalRecord | undefined, strategyId: string, id: string): Outcome | null {
    if (!rec || rec.spec.strategyId !== strategyId) return this.refuse(ConditionalRefuseCode.UnknownConditionalOrder, `${strategyId} has no conditional order ${id}`);
    return null;
  }

  private killSwitchFor(strategyId: string, symbol: string): string | null {
    if (this.engaged.has(scopeKey('global', null))) return 'global';
    if (this.engaged.has(scopeKey('strategy', strategyId))) return `strategy ${strategyId}`;
    if (this.engaged.has(scopeKey('symbol', symbol))) return `symbol ${symbol}`;
    return null;
  }

  /** A change: journaled (one write), published, queued for Postgres; all before what it causes is sent. */
  private record(r: ConditionalRecord, c: ConditionalChange): void {
    const sid = r.spec.strategyId;
    const seq = (this.heads.get(sid) ?? 0) + 1;
    this.heads.set(sid, seq);
    const ev = conditionalEvent(r, c, this.book.levels(r.spec.id), this.instruments.get(r.spec.symbol), seq);
    const type = ev.type;
    const tsEvent = BigInt(ev.tsEvent);
    const wire = encodeMessageText(ev);
    this.append({ kind: 'change', id: r.spec.id, strategyId: sid, version: r.version, change: c, seq, eventType: type, tsEvent: tsEvent.toString(), wire });
    this.stream.publish(topics.conditional(sid), wire);
    this.m.events.inc({ type });
  }

  private append(e: Omit<Extract<ConditionalEntry, { kind: 'change' }>, 'lsn'> | Omit<Extract<ConditionalEntry, { kind: 'trail' }>, 'lsn'>): void {
    const [lsn] = this.journal.append([encodeConditionalEntry(e)]);
    this.writer.push({ ...e, lsn: lsn! } as ConditionalEntry);
    this.m.backlog.set(this.writer.depth);
  }

  private send(spec: ConditionalOrderSpec, child: ChildOrder): void {
    const inst = this.instruments.get(spec.symbol);
    const ok = this.links.toRisk({
      type: 'SubmitOrder',
      ...envelope(),
      strategyId: spec.strategyId,
      clientOrderId: child.clientOrderId,
      symbol: spec.symbol,
      side: child.side,
      orderType: child.orderType,
      timeInForce: child.orderType === 'market' ? 'ioc' : 'gtc',
      postOnly: false,
      price: child.price === null ? null : fromUnits(child.price, inst.priceScale),
      quantity: fromUnits(child.quantity, inst.qtyScale),
      tsTick: this.tickPublished,
      ...(this.tickPublished !== null ? { stamps: { tickPublished: this.tickPublished, submitted: nowNs() } } : {}),
    });
    this.sentAt.set(child.clientOrderId, Date.now());
    this.m.released.inc({ result: ok ? 'sent' : 'queue_full' });
    // Not sent: resendUnseen tries again (the child stays released, never lost).
    if (!ok) this.log.warn({ clientOrderId: child.clientOrderId }, 'released child not sent: the queue to risk is full; it is sent again shortly');
  }

  private current(ids: ReadonlySet<string>, symbols: ReadonlySet<string>): ConditionalRecord[] {
    const out = new Map<string, ConditionalRecord>();
    for (const id of ids) {
      const r = this.book.snapshot(id);
      if (r) out.set(id, r);
    }
    // A trailing mark moved: the open orders of that symbol are written with their marks now.
    if (symbols.size) for (const r of this.book.all()) if (isOpen(r) && symbols.has(r.spec.symbol) && !out.has(r.spec.id)) out.set(r.spec.id, this.book.snapshot(r.spec.id)!);
    return [...out.values()];
  }

  private gauges(): void {
    this.m.open.set(this.book.openCount);
  }
}

const scopeKey = (scope: string, target: string | null): string => `${scope}\u0000${target ?? ''}`;
