import MiniSearch from 'minisearch';
import type { InstrumentKind } from '@hft/config';
import type { InstrumentRow } from './instrument-row.js';

/** How a result matched, best first: the whole symbol, a symbol prefix, words of the name or symbol, a near miss. */
export type SearchMatch = 'exact' | 'prefix' | 'word' | 'fuzzy';

export interface SearchHit {
  symbol: string;
  name: string;
  kind: InstrumentKind;
  venue: string;
  currency: string;
  underlying: string | null;
  expiry: string | null;
  strike: number | null;
  right: 'call' | 'put' | null;
  tickSize: number;
  lotSize: number;
  match: SearchMatch;
  score: number;
}

export interface SearchFilter {
  kind?: InstrumentKind;
  venue?: string;
}

/** Prefix ranges up to this size are sorted; longer ones are walked in rank order. */
const PREFIX_SORT_MAX = 2000;

// Among symbol-prefix matches, the listed things people mean before their derivatives: "AAPL" is the share first.
const KIND_ORDER: Record<InstrumentKind, number> = { equity: 0, etf: 0, index: 1, crypto: 1, fx: 1, future: 2, option: 3 };

/**
 * Instrument search over the whole master in memory: exact and prefix matches of the symbol from a
 * sorted array (binary search), then words and near misses of symbol, name and underlying from a
 * MiniSearch index (prefix and edit-distance matching, BM25 ranking). Rebuilt when the master changes.
 */
export class InstrumentSearch {
  private readonly rows: InstrumentRow[];
  /** Row indexes ordered by symbol. */
  private readonly bySymbol: number[];
  /** Row indexes in prefix-match rank order (kind, then length, then A-Z). */
  private readonly byRank: number[];
  /** Each row's place in byRank: sorting a range by it is one integer comparison. */
  private readonly rankPos: Int32Array;
  private readonly index: MiniSearch<{ id: number; symbol: string; name: string; underlying: string }>;

  constructor(rows: readonly InstrumentRow[]) {
    this.rows = [...rows];
    this.bySymbol = this.rows.map((_, i) => i).sort((a, b) => (this.rows[a]!.symbol < this.rows[b]!.symbol ? -1 : 1));
    this.byRank = [...this.bySymbol].sort((a, b) => cmp(this.rank(a), this.rank(b)));
    this.rankPos = new Int32Array(this.rows.length);
    this.byRank.forEach((row, pos) => (this.rankPos[row] = pos));
    this.index = new MiniSearch({
      fields: ['symbol', 'name', 'underlying'],
      idField: 'id',
      // Symbols keep their separators out ("BTC-USDT" -> btc, usdt); names split on anything not a letter or digit.
      tokenize: (text) => text.split(/[^\p{L}\p{N}]+/u).filter(Boolean),
      searchOptions: { boost: { symbol: 3, underlying: 1.5 }, prefix: true, fuzzy: (term) => (term.length >= 4 ? 0.2 : false), combineWith: 'AND' },
    });
    this.index.addAll(this.rows.map((r, id) => ({ id, symbol: r.symbol, name: r.name, underlying: r.underlying ?? '' })));
  }

  get size(): number {
    return this.rows.length;
  }

  find(symbol: string): InstrumentRow | undefined {
    const i = this.lowerBound(symbol);
    const row = i < this.bySymbol.length ? this.rows[this.bySymbol[i]!] : undefined;
    return row?.symbol === symbol ? row : undefined;
  }

  search(query: string, limit: number, filter: SearchFilter = {}): SearchHit[] {
    const q = query.trim();
    if (!q) return [];
    const wanted = (r: InstrumentRow): boolean => (!filter.kind || r.kind === filter.kind) && (!filter.venue || r.venue === filter.venue);
    const out: SearchHit[] = [];
    const taken = new Set<number>();
    const upper = q.toUpperCase();
    // Symbol prefix: a range of the sorted array, ranked; a long range (a letter or two) is cheaper
    // found by walking the rank order until enough of it match.
    const from = this.lowerBound(upper);
    const to = this.lowerBound(`${upper}\uffff`);
    let best: number[];
    if (to - from <= PREFIX_SORT_MAX) {
      const prefix: number[] = [];
      for (let k = from; k < to; k++) if (wanted(this.rows[this.bySymbol[k]!]!)) prefix.push(this.bySymbol[k]!);
      best = prefix.sort((a, b) => this.rankPos[a]! - this.rankPos[b]!).slice(0, limit);
    } else {
      best = [];
      for (let k = 0; k < this.byRank.length && best.length < limit; k++) {
        const r = this.rows[this.byRank[k]!]!;
        if (r.symbol.startsWith(upper) && wanted(r)) best.push(this.byRank[k]!);
      }
    }
    // The whole symbol first, whatever its kind.
    const exact = from < this.bySymbol.length && this.rows[this.bySymbol[from]!]!.symbol === upper && wanted(this.rows[this.bySymbol[from]!]!) ? this.bySymbol[from]! : -1;
    if (exact >= 0) {
      out.push(hit(this.rows[exact]!, 'exact', 1000));
      taken.add(exact);
    }
    for (const i of best) {
      if (i === exact || out.length >= limit) continue;
      out.push(hit(this.rows[i]!, 'prefix', 500 - this.rows[i]!.symbol.length));
      taken.add(i);
    }
    if (out.length >= limit) return out.slice(0, limit);
    // Words (prefix) and near misses of the name, symbol parts and underlying.
    for (const r of this.index.search(q, { filter: (d) => wanted(this.rows[d.id as number]!) })) {
      const i = r.id as number;
      if (taken.has(i)) continue;
      const fuzzy = r.terms.some((t) => !r.queryTerms.some((qt) => t.startsWith(qt.toLowerCase())));
      out.push(hit(this.rows[i]!, fuzzy ? 'fuzzy' : 'word', Math.round(r.score * 100) / 100));
      taken.add(i);
      if (out.length >= limit) break;
    }
    return out;
  }

  private rank(i: number): [number, number] {
    return [KIND_ORDER[this.rows[i]!.kind], this.rows[i]!.symbol.length];
  }

  private lowerBound(symbol: string): number {
    let lo = 0;
    let hi = this.bySymbol.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.rows[this.bySymbol[mid]!]!.symbol < symbol) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function cmp(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

function hit(r: InstrumentRow, match: SearchMatch, score: number): SearchHit {
  return { symbol: r.symbol, name: r.name, kind: r.kind, venue: r.venue, currency: r.currency, underlying: r.underlying, expiry: r.expiry, strike: r.strike, right: r.right, tickSize: r.tickSize, lotSize: r.lotSize, match, score };
}
