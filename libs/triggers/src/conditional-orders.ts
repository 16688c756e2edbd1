import { gapUnits, type TrailingGap } from './fall-triggers.js';
import { PriceTriggers, type TriggerDirection } from './price-triggers.js';

/** The price a conditional order watches. */
export type TriggerSource = 'last' | 'bid' | 'ask' | 'mid';
export const TRIGGER_SOURCES: readonly TriggerSource[] = ['last', 'bid', 'ask', 'mid'];

export type ConditionalKind = 'stop' | 'stop_limit' | 'market_if_touched' | 'limit_if_touched' | 'trailing_stop' | 'trailing_stop_limit';

/** Prices and quantities in integer units of the instrument. */
export interface ConditionalSpec {
  id: string;
  strategyId: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  kind: ConditionalKind;
  /**
   * Fixed kinds: the level that releases the order. Trailing kinds: where the level starts, a floor
   * (sell) or ceiling (buy) it never goes past: the level is max(triggerPrice, high - gap) for a sell.
   */
  triggerPrice?: number;
  /** stop_limit / limit_if_touched: the child's limit price. */
  limitPrice?: number;
  /** Trailing kinds: the gap behind the best price since placement. */
  trailing?: TrailingGap;
  /** trailing_stop_limit: the child's limit is the trigger level this far beyond it (worse for us). */
  limitOffset?: number;
  triggerOn: TriggerSource;
  /** Orders of one group cancel each other: the first to trigger wins (one-cancels-other). */
  ocoGroup?: string;
}

/**
 * A bracket: an entry, then a target and a stop-loss that wait here as an OCO pair once the entry has
 * filled. The legs follow the entry's filled quantity (placed at its first fill, grown by later ones),
 * and neither is at the venue until it triggers, so the first to trigger cancels the other and both can
 * never fill. An OTO is a bracket with one leg.
 */
export interface BracketSpec {
  id: string;
  /** The entry: a conditional order (released when it triggers) or null when the entry order is sent now by the caller. */
  entry: ConditionalSpec | null;
  legs: Omit<ConditionalSpec, 'id' | 'strategyId' | 'symbol' | 'side' | 'quantity' | 'ocoGroup'>[];
}

/** What a triggered order releases: a new order that goes through risk like any other. */
export interface ReleasedOrder {
  parentId: string;
  strategyId: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  orderType: 'market' | 'limit';
  price: number | null;
  /** The price that crossed the level, and the level. */
  triggeredBy: { source: TriggerSource; price: number; level: number };
}

/** Stops buy on a rise and sell on a fall; if-touched orders the other way; trailing stops like stops. */
export function directionOf(kind: ConditionalKind, side: 'buy' | 'sell'): TriggerDirection {
  const touched = kind === 'market_if_touched' || kind === 'limit_if_touched';
  return (side === 'buy') !== touched ? 'rise' : 'fall';
}

export interface QuoteUpdate {
  last?: number;
  bid?: number;
  ask?: number;
}

/**
 * The conditional orders of every symbol, waiting on their trigger prices. A quote update fires what
 * it crosses, in one pass per price source, and releases the children in the order they fired; an OCO
 * group's other members are cancelled when one fires. Deterministic: the same quotes give the same
 * releases, live or in a backtest.
 */
export class ConditionalOrders {
  private readonly series = new Map<string, PriceTriggers>();
  private readonly specs = new Map<string, ConditionalSpec>();
  private readonly groups = new Map<string, Set<string>>();
  private readonly mids = new Map<string, { bid?: number; ask?: number }>();
  /** Brackets waiting for (more of) their entry's fills, by the entry's id. */
  private readonly brackets = new Map<string, { spec: BracketSpec; strategyId: string; symbol: string; side: 'buy' | 'sell'; filled: number; placed: string[]; reference: Reference }>();
  /** Trailing orders per price series and how far the lowest high-water (highest low-water) mark is. */
  private readonly trails = new Map<string, TrailWatch>();

  /**
   * `trailed`: a price moved the marks of the trailing orders of one series and direction: every one
   * of them has its mark at least that far now (so a restart can carry the marks on from a log of these).
   */
  constructor(
    private readonly release: (o: ReleasedOrder) => void,
    private readonly cancelled: (id: string, why: 'oco' | 'cancel') => void = () => {},
    private readonly trailed: (symbol: string, source: TriggerSource, direction: TriggerDirection, price: number) => void = () => {},
  ) {}

  get size(): number {
    return this.specs.size;
  }

  get(id: string): ConditionalSpec | undefined {
    return this.specs.get(id);
  }

  /** Places an order; `reference` is the trailing kinds' starting extreme (the watched price now). */
  place(spec: ConditionalSpec, reference?: number): void {
    if (this.specs.has(spec.id)) throw new RangeError(`conditional order ${spec.id} is already held`);
    const t = this.seriesOf(spec.symbol, spec.triggerOn);
    const dir = directionOf(spec.kind, spec.side);
    if (spec.kind === 'trailing_stop' || spec.kind === 'trailing_stop_limit') {
      if (!spec.trailing || (reference === undefined && spec.triggerPrice === undefined)) throw new RangeError(`${spec.id}: a trailing order needs a gap and a reference or trigger price`);
      const extreme = this.startExtreme(spec, dir, reference);
      t.addTrailing(spec.id, dir, extreme, spec.trailing);
      const w = this.watchOf(spec.symbol, spec.triggerOn);
      w[dir].add(spec.id);
      if (dir === 'fall') w.lowestHigh = Math.min(w.lowestHigh, extreme);
      else w.highestLow = Math.max(w.highestLow, extreme);
    } else {
      if (spec.triggerPrice === undefined) throw new RangeError(`${spec.id}: ${spec.kind} needs a trigger price`);
      t.addFixed(spec.id, dir, spec.triggerPrice);
    }
    this.specs.set(spec.id, spec);
    if (spec.ocoGroup) {
      let g = this.groups.get(spec.ocoGroup);
      if (!g) this.groups.set(spec.ocoGroup, (g = new Set()));
      g.add(spec.id);
    }
  }

  /**
   * Places a bracket. With a conditional entry it waits like any order; the legs come with the entry's
   * fills (`onEntryFill`). `reference` gives the trailing legs' starting extreme at fill time.
   */
  placeBracket(b: BracketSpec, owner: { strategyId: string; symbol: string; side: 'buy' | 'sell' }, reference: Reference): void {
    if (this.brackets.has(b.id)) throw new RangeError(`bracket ${b.id} is already held`);
    if (b.entry) this.place(b.entry, reference(b.entry.triggerOn, b.entry.id));
    this.brackets.set(b.id, { spec: b, ...owner, filled: 0, placed: [], reference });
  }

  /**
   * The entry of bracket `id` filled `cumQty` in total so far: the legs wait for that quantity (the
   * first fill places them, later fills grow them). A leg that already fired is not placed again.
   */
  onEntryFill(id: string, cumQty: number): void {
    const b = this.brackets.get(id);
    if (!b || cumQty <= b.filled) return;
    // A leg that fired or was cancelled ends the bracket: later fills place nothing.
    if (b.placed.some((legId) => !this.specs.has(legId))) {
      this.brackets.delete(id);
      return;
    }
    b.filled = cumQty;
    const group = `${id}:legs`;
    const exit = b.side === 'buy' ? 'sell' : 'buy';
    b.spec.legs.forEach((leg, i) => {
      const legId = `${id}:leg${i}`;
      const prior = this.specs.get(legId);
      const spec: ConditionalSpec = { ...leg, id: legId, strategyId: b.strategyId, symbol: b.symbol, side: exit, quantity: cumQty, ...(b.spec.legs.length > 1 ? { ocoGroup: group } : {}) };
      if (prior) {
        // Grown in place: the trailing state carries over, only the quantity changes.
        this.specs.set(legId, { ...prior, quantity: cumQty });
        return;
      }
      this.place(spec, b.reference(spec.triggerOn, legId));
      b.placed.push(legId);
    });
  }

  /**
   * A trailing order's first extreme: the reference, or, with a trigger price, the extreme whose level
   * is that price when the reference is not past it (so the level starts there and only improves).
   */
  private startExtreme(spec: ConditionalSpec, dir: TriggerDirection, reference: number | undefined): number {
    if (spec.triggerPrice === undefined) return reference!;
    const p = spec.triggerPrice;
    if (dir === 'fall') {
      const h = p + gapUnits(spec.trailing!, p);
      // bps gaps are taken at the extreme: step up until the level at that extreme reaches the floor.
      return Math.max(reference ?? -Infinity, fallExtremeFor(p, spec.trailing!, h));
    }
    const l = p - gapUnits(spec.trailing!, p);
    return Math.min(reference ?? Infinity, riseExtremeFor(p, spec.trailing!, l));
  }

  /** Cancels a waiting order; false when it is not waiting (fired, cancelled or unknown). */
  cancel(id: string): boolean {
    if (!this.drop(id)) return false;
    this.cancelled(id, 'cancel');
    return true;
  }

  /** Cancels every waiting order that matches (a kill-switch: all, a strategy's, a symbol's); returns the ids. */
  cancelWhere(match: (s: ConditionalSpec) => boolean): string[] {
    const ids = [...this.specs.values()].filter(match).map((s) => s.id);
    for (const id of ids) this.cancel(id);
    // Brackets of the scope stop waiting for fills too: no leg appears after a kill-switch.
    for (const [id, b] of this.brackets) if (match({ id, strategyId: b.strategyId, symbol: b.symbol, side: b.side, quantity: b.filled, kind: 'stop', triggerOn: 'last' })) this.brackets.delete(id);
    return ids;
  }

  /** Level and (trailing) extreme now: what a restart needs to carry on. */
  state(id: string): { level: number; extreme: number | null } | undefined {
    const s = this.specs.get(id);
    const st = s && this.series.get(key(s.symbol, s.triggerOn))?.state(id);
    return st && { level: st.level, extreme: st.extreme };
  }

  /** New prices for a symbol (any of last, bid, ask; mid follows bid and ask). */
  onQuote(symbol: string, q: QuoteUpdate): void {
    if (q.last !== undefined) this.fire(symbol, 'last', q.last);
    if (q.bid !== undefined || q.ask !== undefined) {
      let m = this.mids.get(symbol);
      if (!m) this.mids.set(symbol, (m = {}));
      if (q.bid !== undefined) m.bid = q.bid;
      if (q.ask !== undefined) m.ask = q.ask;
      if (q.bid !== undefined) this.fire(symbol, 'bid', q.bid);
      if (q.ask !== undefined) this.fire(symbol, 'ask', q.ask);
      // The mid of two integer prices may be half a unit: exact in a double, so compared exactly.
      if (m.bid !== undefined && m.ask !== undefined) this.fire(symbol, 'mid', (m.bid + m.ask) / 2);
    }
  }

  private fire(symbol: string, source: TriggerSource, price: number): void {
    const k = key(symbol, source);
    const t = this.series.get(k);
    if (!t || t.size === 0) return;
    const w = this.trails.get(k);
    if (w) this.watchTrail(w, symbol, source, price);
    const fired: { id: string; level: number }[] = [];
    t.onPrice(price, (id, level) => fired.push({ id, level }));
    for (const { id, level } of fired) {
      const s = this.specs.get(id);
      if (!s) continue; // an OCO sibling that fired on the same price: the first one won
      this.specs.delete(id);
      this.leaveGroup(s);
      this.unwatch(s);
      if (s.ocoGroup) for (const other of [...(this.groups.get(s.ocoGroup) ?? [])]) if (this.drop(other)) this.cancelled(other, 'oco');
      this.release(this.child(s, source, price, level));
    }
  }

  private child(s: ConditionalSpec, source: TriggerSource, price: number, level: number): ReleasedOrder {
    const limit =
      s.kind === 'stop_limit' || s.kind === 'limit_if_touched'
        ? s.limitPrice!
        : s.kind === 'trailing_stop_limit'
          ? s.side === 'buy'
            ? level + (s.limitOffset ?? 0)
            : level - (s.limitOffset ?? 0)
          : null;
    return { parentId: s.id, strategyId: s.strategyId, symbol: s.symbol, side: s.side, quantity: s.quantity, orderType: limit === null ? 'market' : 'limit', price: limit, triggeredBy: { source, price, level } };
  }

  private drop(id: string): boolean {
    const s = this.specs.get(id);
    if (!s) return false;
    this.series.get(key(s.symbol, s.triggerOn))?.remove(id);
    this.specs.delete(id);
    this.leaveGroup(s);
    this.unwatch(s);
    return true;
  }

  private watchOf(symbol: string, source: TriggerSource): TrailWatch {
    const k = key(symbol, source);
    let w = this.trails.get(k);
    if (!w) this.trails.set(k, (w = { fall: new Set(), rise: new Set(), lowestHigh: Infinity, highestLow: -Infinity, stale: false }));
    return w;
  }

  private unwatch(s: ConditionalSpec): void {
    const w = this.trails.get(key(s.symbol, s.triggerOn));
    if (w && (w.fall.delete(s.id) || w.rise.delete(s.id))) w.stale = true;
  }

  /** A price above the lowest high-water mark (below the highest low-water mark) moves marks: reported once per such price. */
  private watchTrail(w: TrailWatch, symbol: string, source: TriggerSource, price: number): void {
    if (w.stale) {
      // An order left: the bound is recomputed from those that stay (rare: a fire or a cancel).
      const t = this.series.get(key(symbol, source))!;
      w.lowestHigh = Infinity;
      w.highestLow = -Infinity;
      for (const id of w.fall) w.lowestHigh = Math.min(w.lowestHigh, t.state(id)?.extreme ?? Infinity);
      for (const id of w.rise) w.highestLow = Math.max(w.highestLow, t.state(id)?.extreme ?? -Infinity);
      w.stale = false;
    }
    if (w.fall.size && price > w.lowestHigh) {
      w.lowestHigh = price;
      this.trailed(symbol, source, 'fall', price);
    }
    if (w.rise.size && price < w.highestLow) {
      w.highestLow = price;
      this.trailed(symbol, source, 'rise', price);
    }
  }

  private leaveGroup(s: ConditionalSpec): void {
    if (!s.ocoGroup) return;
    const g = this.groups.get(s.ocoGroup);
    g?.delete(s.id);
    if (g && g.size === 0) this.groups.delete(s.ocoGroup);
  }

  private seriesOf(symbol: string, source: TriggerSource): PriceTriggers {
    const k = key(symbol, source);
    let t = this.series.get(k);
    if (!t) this.series.set(k, (t = new PriceTriggers()));
    return t;
  }
}

/** The watched price now, for a trailing order's first mark (`legId`: which leg is being placed). */
export type Reference = (source: TriggerSource, legId: string) => number | undefined;

interface TrailWatch {
  readonly fall: Set<string>;
  readonly rise: Set<string>;
  lowestHigh: number;
  highestLow: number;
  stale: boolean;
}

const key = (symbol: string, source: TriggerSource): string => `${symbol}\u0000${source}`;

/** The lowest extreme h >= guess with h - gap(h) >= floor (a bps gap grows with h, so a few steps at most). */
function fallExtremeFor(floor: number, gap: TrailingGap, guess: number): number {
  let h = guess;
  while (h - gapUnits(gap, h) < floor) h++;
  while (h - 1 - gapUnits(gap, h - 1) >= floor) h--;
  return h;
}

/** The highest extreme l <= guess with l + gap(l) <= ceiling. */
function riseExtremeFor(ceiling: number, gap: TrailingGap, guess: number): number {
  let l = guess;
  while (l + gapUnits(gap, l) > ceiling) l--;
  while (l + 1 + gapUnits(gap, l + 1) <= ceiling) l++;
  return l;
}
