import { createRequire } from 'node:module';
import type sortedBTree from 'sorted-btree';

// sorted-btree is CommonJS with an ES-style default export; required, its class is `default` under
// Node and under the test runner alike (an ESM default import differs between the two).
const BTree = (createRequire(import.meta.url)('sorted-btree') as typeof sortedBTree).default;
type BTree<K, V> = sortedBTree.default<K, V>;

/** A trailing gap: whole price units, or basis points of the extreme (rounded down to a whole unit). */
export type TrailingGap = { units: number } | { bps: number };

type Key = readonly [number, number];
const byKey = (a: Key, b: Key): number => a[0] - b[0] || a[1] - b[1];

/** Gap in price units at extreme `h` (h may be a negated price: the gap is of its size). */
export function gapUnits(gap: TrailingGap, h: number): number {
  return 'units' in gap ? gap.units : Math.floor((Math.abs(h) * gap.bps) / 10_000);
}

/**
 * Trailing orders that share one extreme. A new extreme moves every order whose extreme it passes,
 * and from then on they share it: so they are kept together and move as one (a merge, not a rescan).
 */
interface Cohort {
  readonly id: number;
  extreme: number;
  /** By gap in units (fixed gaps) and by bps (proportional gaps); within a cohort both order like the gap. */
  readonly units: BTree<Key, Entry>;
  readonly bps: BTree<Key, Entry>;
  /** extreme - the smallest gap: the highest price at which one of its orders fires. */
  level: number;
}

interface Entry {
  readonly id: string;
  readonly seq: number;
  readonly gap: TrailingGap;
  /** Fixed orders: the trigger level; trailing: the cohort holding it. */
  level: number;
  cohort: Cohort | null;
}

/**
 * Orders that fire when a price falls to or below their level: stops to sell, if-touched orders to
 * buy, and trailing stops to sell, whose level follows the highest price since they were placed minus
 * a gap. Prices are integers (units). A price costs O(log n) plus the orders it fires or moves:
 * fixed levels are a B+ tree by level; trailing orders sit in cohorts of a shared extreme, indexed by
 * extreme (for the merges a new extreme makes) and by their cohort's highest level (for firing).
 */
export class FallTriggers {
  private readonly fixed = new BTree<Key, Entry>(undefined, byKey);
  private readonly cohortsByExtreme = new BTree<number, Cohort>();
  private readonly cohortsByLevel = new BTree<Key, Cohort>(undefined, byKey);
  private readonly entries = new Map<string, Entry>();
  // The trees' ends, kept as numbers: a price that fires and moves nothing costs three comparisons.
  private fixedTop = -Infinity;
  private cohortTop = -Infinity;
  private extremeLow = Infinity;
  private seq = 0;
  private cohortSeq = 0;

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Fires when a price <= `level`. */
  addFixed(id: string, level: number): void {
    this.assertNew(id);
    const e: Entry = { id, seq: ++this.seq, gap: { units: 0 }, level, cohort: null };
    this.entries.set(id, e);
    this.fixed.set([level, e.seq], e);
    this.fixedTop = Math.max(this.fixedTop, level);
  }

  /**
   * Fires when a price <= (the highest price seen since `extreme`, starting with it) - gap. `extreme`
   * is the reference when the order was placed (or the high-water mark it had before a restart).
   */
  addTrailing(id: string, extreme: number, gap: TrailingGap): void {
    this.assertNew(id);
    if (('units' in gap ? gap.units : gap.bps) <= 0) throw new RangeError(`trailing gap of ${id} must be positive`);
    const e: Entry = { id, seq: ++this.seq, gap, level: 0, cohort: null };
    this.entries.set(id, e);
    let c = this.cohortsByExtreme.get(extreme);
    if (!c) {
      c = { id: ++this.cohortSeq, extreme, units: new BTree<Key, Entry>(undefined, byKey), bps: new BTree<Key, Entry>(undefined, byKey), level: extreme };
      this.cohortsByExtreme.set(extreme, c);
    } else this.cohortsByLevel.delete([c.level, c.id]);
    this.insert(c, e);
    this.relevel(c);
    this.ends();
  }

  /** Removes an order (cancelled, or its other leg filled); false when it is not here. */
  remove(id: string): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    if (!e.cohort) this.fixed.delete([e.level, e.seq]);
    else {
      const c = e.cohort;
      this.cohortsByLevel.delete([c.level, c.id]);
      ('units' in e.gap ? c.units : c.bps).delete(['units' in e.gap ? e.gap.units : e.gap.bps, e.seq]);
      if (c.units.size + c.bps.size === 0) this.cohortsByExtreme.delete(c.extreme);
      else this.relevel(c);
    }
    this.ends();
    return true;
  }

  /** The current level and, for a trailing order, its extreme (the high-water mark to persist). */
  state(id: string): { level: number; extreme: number | null } | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (!e.cohort) return { level: e.level, extreme: null };
    return { level: e.cohort.extreme - gapUnits(e.gap, e.cohort.extreme), extreme: e.cohort.extreme };
  }

  /**
   * A new price: trailing extremes it passes move up to it, then every order whose level is at or
   * above it fires: removed, then handed to `fired` with the level it had (fixed levels first, highest
   * first, then trailing).
   */
  onPrice(price: number, fired: (id: string, level: number) => void): void {
    // An extreme equal to the price moves nothing: only a price above it does.
    if (this.extremeLow >= price && this.fixedTop < price && this.cohortTop < price) return;
    if (this.extremeLow < price) this.advanceExtremes(price);
    for (let k = this.fixedTop >= price ? this.fixed.maxKey() : undefined; k !== undefined && k[0] >= price; k = this.fixed.maxKey()) {
      const e = this.fixed.get(k)!;
      this.fixed.delete(k);
      this.entries.delete(e.id);
      fired(e.id, e.level);
    }
    for (let k = this.cohortsByLevel.maxKey(); k !== undefined && k[0] >= price; k = this.cohortsByLevel.maxKey()) {
      const c = this.cohortsByLevel.get(k)!;
      this.cohortsByLevel.delete(k);
      for (const tree of [c.units, c.bps]) {
        for (let ek = tree.minKey(); ek !== undefined; ek = tree.minKey()) {
          const e = tree.get(ek)!;
          const level = c.extreme - gapUnits(e.gap, c.extreme);
          if (level < price) break;
          tree.delete(ek);
          this.entries.delete(e.id);
          fired(e.id, level);
        }
      }
      if (c.units.size + c.bps.size === 0) this.cohortsByExtreme.delete(c.extreme);
      else this.relevel(c);
    }
    this.ends();
  }

  private ends(): void {
    this.fixedTop = this.fixed.maxKey()?.[0] ?? -Infinity;
    this.cohortTop = this.cohortsByLevel.maxKey()?.[0] ?? -Infinity;
    this.extremeLow = this.cohortsByExtreme.minKey() ?? Infinity;
  }

  /** Every cohort whose extreme is at or below `price` joins one at `price` (the largest takes the others in). */
  private advanceExtremes(price: number): void {
    const min = this.cohortsByExtreme.minKey();
    if (min === undefined || min > price) return;
    const next = this.cohortsByExtreme.nextHigherKey(min);
    if (next === undefined || next > price) {
      // The usual case: one cohort (the one at the running extreme) moves; nothing merges.
      const c = this.cohortsByExtreme.get(min)!;
      this.cohortsByExtreme.delete(min);
      this.cohortsByLevel.delete([c.level, c.id]);
      c.extreme = price;
      this.cohortsByExtreme.set(price, c);
      this.relevel(c);
      return;
    }
    const passed: Cohort[] = [];
    this.cohortsByExtreme.forRange(min, price, true, (_h, c) => {
      passed.push(c);
    });
    let base = passed[0]!;
    for (const c of passed) if (c.units.size + c.bps.size > base.units.size + base.bps.size) base = c;
    for (const c of passed) {
      this.cohortsByExtreme.delete(c.extreme);
      this.cohortsByLevel.delete([c.level, c.id]);
      if (c === base) continue;
      for (const tree of [c.units, c.bps]) tree.forEachPair((_k, e) => this.insert(base, e));
    }
    base.extreme = price;
    this.cohortsByExtreme.set(price, base);
    this.relevel(base);
  }

  private insert(c: Cohort, e: Entry): void {
    e.cohort = c;
    if ('units' in e.gap) c.units.set([e.gap.units, e.seq], e);
    else c.bps.set([e.gap.bps, e.seq], e);
  }

  /** Recomputes a cohort's highest level (the smaller of its two smallest gaps) and indexes it. */
  private relevel(c: Cohort): void {
    const u = c.units.minKey();
    const b = c.bps.minKey();
    const gap = Math.min(u ? u[0] : Infinity, b ? gapUnits({ bps: b[0] }, c.extreme) : Infinity);
    c.level = c.extreme - gap;
    this.cohortsByLevel.set([c.level, c.id], c);
  }

  private assertNew(id: string): void {
    if (this.entries.has(id)) throw new RangeError(`trigger ${id} is already held`);
  }
}
