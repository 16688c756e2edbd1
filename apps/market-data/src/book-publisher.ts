import type { Instrument } from '@hft/config';
import { encodeBookSnapshot, TickKind, topics } from '@hft/messages';
import { L2BookSet, L2UpdateBatch, rejectName, Side } from '@hft/native';
import type { Publisher } from '@hft/transport';
import type { MdMetrics } from './md-metrics.js';
import { CLEAR_BOOK, type RawTick } from './raw-tick.js';

export type SnapshotMode = 'conflate' | 'every';

/**
 * Keeps one native L2 book per instrument and publishes top-N snapshots on `md.book.<SYMBOL>`.
 * "conflate": updates are applied in one native call per publish cycle and each changed book is
 * published once; "every": one snapshot per update (for audits such as LOBSTER reconstruction).
 */
export class BookPublisher {
  private readonly books = new L2BookSet();
  private readonly batch = new L2UpdateBatch(4096);
  private readonly out: Float64Array;
  private readonly seq: number[];
  private readonly lastSec: number[];
  private readonly lastNsec: number[];
  private readonly changed: boolean[];
  private dirty: number[] = [];
  snapshots = 0;

  constructor(
    private readonly pub: Publisher,
    private readonly instruments: readonly Instrument[],
    private readonly depth: number,
    private readonly mode: SnapshotMode,
    private readonly m: MdMetrics,
  ) {
    for (const i of instruments) this.books.addBook(i.tickUnits, i.lotUnits);
    this.out = new Float64Array(4 * depth);
    this.seq = instruments.map(() => 0);
    this.lastSec = instruments.map(() => 0);
    this.lastNsec = instruments.map(() => 0);
    this.changed = instruments.map(() => false);
  }

  /** Feed a bid/ask level update or a book reset; trades do not change an L2 book. */
  update(t: RawTick, tsPublish: () => bigint): void {
    if (t.kind === CLEAR_BOOK) {
      this.apply();
      this.books.clear(t.sym);
    } else {
      this.batch.push(t.sym, t.kind === TickKind.Bid ? Side.Buy : Side.Sell, t.priceUnits, t.qtyUnits);
    }
    this.lastSec[t.sym] = t.sec;
    this.lastNsec[t.sym] = t.nsec;
    if (!this.changed[t.sym]) {
      this.changed[t.sym] = true;
      this.dirty.push(t.sym);
    }
    if (this.mode === 'every') this.flush(tsPublish());
  }

  /** Apply pending updates and publish a snapshot of each book that changed. */
  flush(tsPublish: bigint): void {
    this.apply();
    for (const sym of this.dirty) {
      this.changed[sym] = false;
      const inst = this.instruments[sym]!;
      const counts = this.books.top(sym, this.out);
      const half = 2 * this.depth;
      const frame = encodeBookSnapshot({
        symbol: inst.symbol,
        seq: ++this.seq[sym]!,
        tsEvent: BigInt(this.lastSec[sym]!) * 1_000_000_000n + BigInt(this.lastNsec[sym]!),
        tsPublish,
        priceExponent: -inst.priceDecimals,
        qtyExponent: -inst.qtyDecimals,
        bids: this.out.subarray(0, half),
        bidLevels: counts & 0xffff,
        asks: this.out.subarray(half),
        askLevels: counts >>> 16,
      });
      this.pub.publish(topics.book(inst.symbol), frame);
      this.m.snapshots.inc({ symbol: inst.symbol });
      this.snapshots++;
    }
    this.dirty = [];
  }

  private apply(): void {
    if (this.batch.count === 0) return;
    const rejected = this.books.apply(this.batch.view());
    if (rejected > 0) {
      const r = this.books.lastRejects();
      for (let i = 1; i < r.length; i += 2) this.m.bookRejects.inc({ reason: rejectName(r[i]!) });
    }
    this.batch.reset();
  }
}
