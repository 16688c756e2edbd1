import { ConditionalRefuseCode, DenyCode, type RejectCode } from '@hft/messages';
import { ConditionalOrders, type BracketSpec, type QuoteUpdate, type ReleasedOrder, type TriggerSource } from './conditional-orders.js';
import {
  applyChange,
  isOpen,
  isTrailing,
  legNames,
  partId,
  partSpec,
  splitPartId,
  type ChildOrder,
  type ConditionalChange,
  type ConditionalOrderSpec,
  type ConditionalRecord,
  type Marks,
  type PartName,
  type PartSpec,
} from './conditional-record.js';
import type { TriggerDirection } from './price-triggers.js';

export interface Refusal {
  code: ConditionalRefuseCode;
  reason: string;
}

/** How a released child ended, as its order events tell. */
export type ChildEnd = { how: 'filled' } | { how: 'canceled' | 'expired'; reason: string } | { how: 'rejected'; code: RejectCode; reason: string } | { how: 'denied'; code: DenyCode; reason: string };

export interface BookHooks {
  /** A change was applied: record it (journal, publish) before anything it causes is sent. */
  changed(rec: ConditionalRecord, c: ConditionalChange): void;
  /** Trailing marks of a series moved to at least `price` (record it: a restart carries the marks on). */
  trailed(symbol: string, source: TriggerSource, direction: TriggerDirection, price: number): void;
  /** Send a released child: a new order through risk. */
  submit(rec: ConditionalRecord, child: ChildOrder): void;
  /** Cancel a working child (the entry's remainder once an exit leg has triggered). */
  cancelChild(rec: ConditionalRecord, clientOrderId: string, reason: string): void;
}

export interface PartLevel {
  level: number | null;
  extreme: number | null;
}

/**
 * Conditional orders with their lifecycle: every change is a `ConditionalChange` folded by
 * `applyChange` (so a restart and a backtest rebuild the same records) and the trigger engine holds
 * what waits. Quotes fire parts; a fired part releases its child through `submit`; the child's order
 * events (`onChild`) arm the legs, complete or end the order. Integer units throughout.
 */
export class ConditionalBook {
  private readonly engine: ConditionalOrders;
  private readonly recs = new Map<string, ConditionalRecord>();
  private readonly quotes = new Map<string, { last?: number; bid?: number; ask?: number }>();
  /** Children known to be over (so the entry's remainder is not cancelled twice). */
  private readonly doneChildren = new Set<string>();
  private tick: { seq: number; ts: bigint } | null = null;

  constructor(private readonly hooks: BookHooks) {
    this.engine = new ConditionalOrders(
      (o) => this.onRelease(o),
      () => {},
      (symbol, source, direction, price) => this.hooks.trailed(symbol, source, direction, price),
    );
  }

  get(id: string): ConditionalRecord | undefined {
    return this.recs.get(id);
  }

  all(): IterableIterator<ConditionalRecord> {
    return this.recs.values();
  }

  get openCount(): number {
    let n = 0;
    for (const r of this.recs.values()) if (isOpen(r)) n++;
    return n;
  }

  /** Symbols with parts waiting on their prices (what to subscribe to). */
  watchedSymbols(): Set<string> {
    const out = new Set<string>();
    for (const r of this.recs.values()) if (isOpen(r)) out.add(r.spec.symbol);
    return out;
  }

  /** The watched price now (mid from the last bid and ask). */
  quote(symbol: string, source: TriggerSource): number | undefined {
    const q = this.quotes.get(symbol);
    if (!q) return undefined;
    if (source === 'mid') return q.bid !== undefined && q.ask !== undefined ? (q.bid + q.ask) / 2 : undefined;
    return q[source];
  }

  /** Level and mark of each part now (the engine's live values for those waiting). */
  levels(id: string): Partial<Record<PartName, PartLevel>> {
    const r = this.recs.get(id);
    const out: Partial<Record<PartName, PartLevel>> = {};
    if (!r) return out;
    for (const name of Object.keys(r.parts) as PartName[]) {
      const st = r.parts[name]!.status === 'waiting' ? this.engine.state(partId(id, name)) : undefined;
      out[name] = st ? { level: st.level, extreme: st.extreme } : { level: null, extreme: r.parts[name]!.extreme };
    }
    return out;
  }

  /** The record with the engine's live trailing marks (what the ledger stores). */
  snapshot(id: string): ConditionalRecord | undefined {
    const r = this.recs.get(id);
    if (!r) return undefined;
    const lv = this.levels(id);
    const parts = { ...r.parts };
    for (const name of Object.keys(parts) as PartName[]) if (lv[name]!.extreme !== null) parts[name] = { ...parts[name]!, extreme: lv[name]!.extreme };
    return { ...r, parts };
  }

  // ---- commands

  place(spec: ConditionalOrderSpec): Refusal | null {
    if (this.recs.has(spec.id)) return { code: ConditionalRefuseCode.DuplicateConditionalId, reason: `${spec.id} is already used by ${spec.strategyId === this.recs.get(spec.id)!.spec.strategyId ? 'this strategy' : 'another strategy'}` };
    const bad = this.validate(spec);
    if (bad) return bad;
    const rec = applyChange(undefined, { type: 'placed', spec, marks: {} });
    this.arm(rec, () => undefined);
    this.commit(rec, { type: 'placed', spec, marks: this.marksOf(rec) });
    return null;
  }

  /** Replaces the parts of an order that has released nothing yet (quantity only before the entry fills). */
  modify(id: string, patch: { quantity?: number; entry?: PartSpec | null; legs?: PartSpec[] }): Refusal | null {
    const r = this.recs.get(id);
    if (!r) return { code: ConditionalRefuseCode.UnknownConditionalOrder, reason: `no conditional order ${id}` };
    if (r.status !== 'Pending' && r.status !== 'Armed') return { code: ConditionalRefuseCode.NotModifiable, reason: `${id} is ${r.status}: only a Pending or Armed order is modified` };
    if (r.status === 'Armed' && ((patch.entry !== undefined && patch.entry !== null) || patch.quantity !== undefined)) return { code: ConditionalRefuseCode.NotModifiable, reason: `${id} is Armed: its entry is done, only its legs can change` };
    const spec: ConditionalOrderSpec = { ...r.spec, ...(patch.quantity !== undefined ? { quantity: patch.quantity } : {}), ...(r.status === 'Pending' && patch.entry !== undefined ? { entry: patch.entry } : {}), ...(patch.legs ? { legs: patch.legs } : {}) };
    if (r.status === 'Pending' && !spec.entry) return { code: ConditionalRefuseCode.InvalidSpec, reason: 'a Pending order keeps an entry' };
    if (legNames(spec).length !== legNames(r.spec).length && r.status === 'Armed') return { code: ConditionalRefuseCode.InvalidSpec, reason: 'an Armed order keeps its number of legs' };
    const bad = this.validate(spec);
    if (bad) return bad;
    const before = this.levels(id);
    this.disarm(id);
    const next = applyChange(r, { type: 'modified', spec, marks: {} });
    // A trailing part that stays trailing on the same price keeps its mark.
    this.arm(next, (name) => (next.parts[name]?.extreme !== null && next.parts[name]?.extreme !== undefined ? (before[name]?.extreme ?? next.parts[name]!.extreme!) : undefined));
    this.commit(r, { type: 'modified', spec, marks: this.marksOf(next) });
    return null;
  }

  cancel(id: string, reason: string): Refusal | null {
    const r = this.recs.get(id);
    if (!r) return { code: ConditionalRefuseCode.UnknownConditionalOrder, reason: `no conditional order ${id}` };
    if (!isOpen(r)) return { code: ConditionalRefuseCode.NotModifiable, reason: `${id} is already ${r.status}` };
    this.end(r, { type: 'canceled', reason });
    return null;
  }

  /** Cancels every open order that matches (a kill-switch); returns their ids. */
  cancelWhere(match: (s: ConditionalOrderSpec) => boolean, reason: string): string[] {
    const ids = [...this.recs.values()].filter((r) => isOpen(r) && match(r.spec)).map((r) => r.spec.id);
    for (const id of ids) this.end(this.recs.get(id)!, { type: 'canceled', reason });
    return ids;
  }

  // ---- market and order events

  /** New prices of a symbol, from `tick` (its sequence and exchange time, carried on the triggers it causes). */
  onQuote(symbol: string, q: QuoteUpdate, tick: { seq: number; ts: bigint } | null = null): void {
    let cur = this.quotes.get(symbol);
    if (!cur) this.quotes.set(symbol, (cur = {}));
    if (q.last !== undefined) cur.last = q.last;
    if (q.bid !== undefined) cur.bid = q.bid;
    if (q.ask !== undefined) cur.ask = q.ask;
    this.tick = tick;
    this.engine.onQuote(symbol, q);
  }

  /**
   * A child's order event: its filled quantity so far and, when it is over, how it ended. Returns
   * false for an order that is not a conditional order's child.
   */
  onChild(clientOrderId: string, cumQty: number, ended: ChildEnd | null): boolean {
    const ids = splitPartId(clientOrderId);
    const r = ids && this.recs.get(ids[0]);
    if (!ids || !r) return false;
    const [id, name] = ids;
    const p = r.parts[name];
    if (!p || !p.child) return false;
    p.cumQty = Math.max(p.cumQty, cumQty);
    if (ended) this.doneChildren.add(clientOrderId);
    if (!isOpen(r)) return true;
    const legs = legNames(r.spec);
    const legTriggered = legs.some((l) => r.parts[l]!.status === 'triggered');
    if (name === 'entry') {
      if (legs.length && !legTriggered && p.cumQty > r.filled) {
        this.engine.onEntryFill(id, p.cumQty);
        const armed = applyChange(r, { type: 'armed', quantity: p.cumQty, marks: {} });
        this.commit(r, { type: 'armed', quantity: p.cumQty, marks: this.marksOf(armed, legs) });
      }
      if (!ended) return true;
      if (legs.length && p.cumQty > 0) return true; // the legs carry on with what filled
      if (p.cumQty > 0 || ended.how === 'filled') this.end(r, { type: 'completed' });
      else this.end(r, this.failure(clientOrderId, 'entry', ended));
      return true;
    }
    if (!ended) return true;
    if (p.cumQty > 0 || ended.how === 'filled') this.end(r, { type: 'completed' });
    else this.end(r, this.failure(clientOrderId, name, ended));
    return true;
  }

  /** Risk refused a child: the conditional order ends with the reason. False when not a child of one. */
  onChildDenied(clientOrderId: string, code: DenyCode, reason: string): boolean {
    const ids = splitPartId(clientOrderId);
    const r = ids && this.recs.get(ids[0]);
    if (!ids || !r) return false;
    // A child sent again after a restart that risk had already taken: the first one's events follow.
    if (code === DenyCode.DuplicateClientOrderId) return true;
    this.doneChildren.add(clientOrderId);
    if (isOpen(r)) this.end(r, { type: 'denied', clientOrderId, code, reason });
    return true;
  }

  /** Children released and not seen over: after a restart the caller sends those its OMS never received. */
  released(): { rec: ConditionalRecord; child: ChildOrder }[] {
    const out: { rec: ConditionalRecord; child: ChildOrder }[] = [];
    for (const r of this.recs.values()) {
      if (!isOpen(r)) continue;
      for (const p of Object.values(r.parts)) if (p.status === 'triggered' && p.child && !this.doneChildren.has(p.child.clientOrderId)) out.push({ rec: r, child: p.child });
    }
    return out;
  }

  // ---- restart

  /** Takes records back (from the ledger and the journal's tail) and puts what waits back into the engine. */
  restore(records: Iterable<ConditionalRecord>): void {
    for (const r of records) {
      this.recs.set(r.spec.id, r);
      if (isOpen(r)) this.arm(r, (name) => r.parts[name]?.extreme ?? undefined);
    }
  }

  // ---- inside

  private commit(before: ConditionalRecord | undefined, c: ConditionalChange): ConditionalRecord {
    const next = applyChange(before, c);
    this.recs.set(next.spec.id, next);
    this.hooks.changed(next, c);
    return next;
  }

  private end(r: ConditionalRecord, c: ConditionalChange): void {
    this.disarm(r.spec.id);
    this.commit(r, c);
  }

  private failure(clientOrderId: string, part: PartName, e: Exclude<ChildEnd, { how: 'filled' }>): ConditionalChange {
    if (e.how === 'denied') return { type: 'denied', clientOrderId, code: e.code, reason: e.reason };
    if (e.how === 'rejected') return { type: 'rejected', clientOrderId, code: e.code, reason: e.reason };
    return { type: 'canceled', reason: `the ${part} order was ${e.how} unfilled: ${e.reason}` };
  }

  /** Puts what waits of a record into the engine; `mark` gives a trailing part's mark to go on from. */
  private arm(r: ConditionalRecord, mark: (name: PartName) => number | undefined): void {
    const s = r.spec;
    const legs = legNames(s);
    if (legs.some((l) => r.parts[l]!.status === 'triggered')) return; // an exit is working: nothing waits
    const entryWaits = s.entry !== null && r.parts.entry?.status === 'waiting';
    const b: BracketSpec = { id: s.id, entry: entryWaits ? { ...s.entry!, id: partId(s.id, 'entry'), strategyId: s.strategyId, symbol: s.symbol, side: s.side, quantity: s.quantity } : null, legs: s.legs };
    const ref = (source: TriggerSource, pid: string): number | undefined => mark(splitPartId(pid)![1]) ?? this.quote(s.symbol, source);
    this.engine.placeBracket(b, { strategyId: s.strategyId, symbol: s.symbol, side: s.side }, ref);
    if (legs.length && r.filled > 0) this.engine.onEntryFill(s.id, r.filled);
  }

  private disarm(id: string): void {
    this.engine.cancelWhere((x) => x.id === id || x.id.startsWith(`${id}:`));
  }

  private marksOf(r: ConditionalRecord, only?: PartName[]): Marks {
    const marks: Marks = {};
    for (const name of only ?? (Object.keys(r.parts) as PartName[])) {
      const st = this.engine.state(partId(r.spec.id, name));
      if (st?.extreme !== null && st?.extreme !== undefined) marks[name] = st.extreme;
    }
    return marks;
  }

  private onRelease(o: ReleasedOrder): void {
    const [id, name] = splitPartId(o.parentId)!;
    const r = this.recs.get(id)!;
    const child: ChildOrder = { clientOrderId: o.parentId, side: o.side, quantity: o.quantity, orderType: o.orderType, price: o.price };
    const next = this.commit(r, { type: 'triggered', part: name, child, source: o.triggeredBy.source, price: o.triggeredBy.price, level: o.triggeredBy.level, tickSeq: this.tick?.seq ?? null, tickTs: this.tick?.ts.toString() ?? null });
    const entry = next.parts.entry;
    // An exit triggered while the entry still works: the rest of the entry is cancelled (the exit covers what filled).
    if (name !== 'entry' && entry?.child && !this.doneChildren.has(entry.child.clientOrderId)) this.hooks.cancelChild(next, entry.child.clientOrderId, `exit ${name} triggered`);
    this.hooks.submit(next, child);
  }

  private validate(s: ConditionalOrderSpec): Refusal | null {
    const bad = (reason: string): Refusal => ({ code: ConditionalRefuseCode.InvalidSpec, reason });
    if (!(s.quantity > 0)) return bad('quantity must be positive');
    if (!s.entry && !s.legs.length) return bad('an order needs an entry or at least one leg');
    if (s.legs.length > 2) return bad('at most two legs (a target and a stop-loss)');
    const parts: [PartName, PartSpec][] = [...(s.entry ? [['entry', s.entry] as [PartName, PartSpec]] : []), ...legNames(s).map((n) => [n, partSpec(s, n)!] as [PartName, PartSpec])];
    for (const [name, p] of parts) {
      const where = `${name} (${p.kind})`;
      if (isTrailing(p)) {
        if (!p.trailing) return bad(`${where} needs a trailing gap`);
        if ('units' in p.trailing ? !(p.trailing.units > 0) : !(p.trailing.bps > 0)) return bad(`${where}: the trailing gap must be positive`);
        // Legs start trailing at the entry's fill: the price is looked for then.
        if (p.triggerPrice === undefined && (name === 'entry' || !s.entry) && this.quote(s.symbol, p.triggerOn) === undefined)
          return { code: ConditionalRefuseCode.NoReferencePrice, reason: `${where} has no trigger price and no ${p.triggerOn} price of ${s.symbol} was seen yet to trail from` };
      } else if (p.triggerPrice === undefined) return bad(`${where} needs a trigger price`);
      if ((p.kind === 'stop_limit' || p.kind === 'limit_if_touched') && p.limitPrice === undefined) return bad(`${where} needs a limit price`);
      if (p.kind !== 'stop_limit' && p.kind !== 'limit_if_touched' && p.limitPrice !== undefined) return bad(`${where} takes no limit price`);
      if (p.kind !== 'trailing_stop_limit' && p.limitOffset !== undefined) return bad(`${where} takes no limit offset`);
      if (!isTrailing(p) && p.trailing) return bad(`${where} takes no trailing gap`);
    }
    return null;
  }
}
