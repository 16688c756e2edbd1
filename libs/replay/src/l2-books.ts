import type { Instrument } from '@hft/config';
import { TickKind, unitsToDecimal, type BookLevel, type BookSnapshot } from '@hft/messages';
import { L2BookSet, L2UpdateBatch, rejectName, Side } from '@hft/native';
import { CLEAR_BOOK, type RawTick } from './raw-tick.js';

/**
 * One native L2 book per instrument, fed with replayed level updates in batches (one native call per
 * flush). Serves the top levels as the packed layout the wire encoder takes, or as snapshot objects.
 */
export class L2Books {
  private readonly books = new L2BookSet();
  private readonly batch = new L2UpdateBatch(4096);
  private readonly scratch: Float64Array;

  constructor(
    readonly instruments: readonly Instrument[],
    readonly depth: number,
    /** Called with the reject code name of every update the native book refused. */
    private readonly onReject: (reason: string) => void = () => {},
  ) {
    for (const i of instruments) this.books.addBook(i.tickUnits, i.lotUnits);
    this.scratch = new Float64Array(4 * depth);
  }

  /** Whether a tick of this kind changes an L2 book: level updates and resets do; trades and open interest do not. */
  static changesBook(kind: RawTick['kind']): boolean {
    return kind === TickKind.Bid || kind === TickKind.Ask || kind === CLEAR_BOOK;
  }

  /** Queue a bid/ask level update, or apply a book reset at once (other ticks are ignored). */
  update(t: RawTick): void {
    if (t.kind === CLEAR_BOOK) {
      this.apply();
      this.books.clear(t.sym);
    } else if (t.kind === TickKind.Bid || t.kind === TickKind.Ask) {
      this.batch.push(t.sym, t.kind === TickKind.Bid ? Side.Buy : Side.Sell, t.priceUnits, t.qtyUnits);
    }
  }

  /** Apply queued updates in one native call. */
  apply(): void {
    if (this.batch.count === 0) return;
    if (this.books.apply(this.batch.view()) > 0) {
      const r = this.books.lastRejects();
      for (let i = 1; i < r.length; i += 2) this.onReject(rejectName(r[i]!));
    }
    this.batch.reset();
  }

  /** Best bid and ask of each book in `syms` (`[bidPx, bidQty, askPx, askQty]` units each, 0 = none), in one native call. */
  bboMany(syms: Uint32Array, out: Float64Array): void {
    this.apply();
    this.books.bboMany(syms, out);
  }

  /** Top levels of a book as `[price, qty]` unit pairs: bids in the first half, asks in the second. */
  top(sym: number): { levels: Float64Array; bidLevels: number; askLevels: number } {
    const counts = this.books.top(sym, this.scratch);
    return { levels: this.scratch, bidLevels: counts & 0xffff, askLevels: counts >>> 16 };
  }

  /** The book as a snapshot object (what subscribers decode), for in-process consumers. */
  snapshot(sym: number, seq: number, tsEvent: bigint, tsPublish: bigint): BookSnapshot {
    const inst = this.instruments[sym]!;
    const { levels, bidLevels, askLevels } = this.top(sym);
    const half = 2 * this.depth;
    const read = (start: number, n: number): BookLevel[] =>
      Array.from({ length: n }, (_, i) => {
        const priceUnits = levels[start + 2 * i]!;
        const qtyUnits = levels[start + 2 * i + 1]!;
        return { priceUnits, qtyUnits, price: unitsToDecimal(priceUnits, -inst.priceDecimals), qty: unitsToDecimal(qtyUnits, -inst.qtyDecimals) };
      });
    return { symbol: inst.symbol, seq, tsEvent, tsPublish, priceExponent: -inst.priceDecimals, qtyExponent: -inst.qtyDecimals, bids: read(0, bidLevels), asks: read(half, askLevels) };
  }
}
