import type { Instrument } from '@hft/config';
import { encodeBookSnapshot, topics } from '@hft/messages';
import { L2Books, type RawTick } from '@hft/replay';
import type { Publisher } from '@hft/transport';
import type { MdMetrics } from './md-metrics.js';

export type SnapshotMode = 'conflate' | 'every';

/**
 * Keeps the native L2 books and publishes top-N snapshots on `md.book.<SYMBOL>`. "conflate": updates
 * are applied in one native call per publish cycle and each changed book is published once;
 * "every": one snapshot per update (for audits such as LOBSTER reconstruction). The same frames go to
 * `md.book-sampled.<SYMBOL>` at most once per `sampledMs` per symbol, the latest always following
 * within that time: consumers off the order path take a few pictures a second, not the whole stream.
 */
export class BookPublisher {
  private readonly books: L2Books;
  private readonly seq: number[];
  private readonly lastSec: number[];
  private readonly lastNsec: number[];
  private readonly changed: boolean[];
  private dirty: number[] = [];
  snapshots = 0;
  private readonly sampledAt: number[];
  private readonly sampledPending: (Buffer | null)[];
  private readonly sampler: NodeJS.Timeout | null;

  constructor(
    private readonly pub: Publisher,
    private readonly instruments: readonly Instrument[],
    private readonly depth: number,
    private readonly mode: SnapshotMode,
    private readonly m: MdMetrics,
    private readonly sampledMs = 0,
  ) {
    this.sampledAt = instruments.map(() => 0);
    this.sampledPending = instruments.map(() => null);
    // The trailing snapshot of a symbol that went quiet inside its interval still goes out.
    this.sampler = sampledMs > 0 ? setInterval(() => this.flushSampled(performance.now()), sampledMs).unref() : null;
    this.books = new L2Books(instruments, depth, (reason) => this.m.bookRejects.inc({ reason }));
    this.seq = instruments.map(() => 0);
    this.lastSec = instruments.map(() => 0);
    this.lastNsec = instruments.map(() => 0);
    this.changed = instruments.map(() => false);
  }

  /** Feed a tick: level updates and resets change the book; trades and open interest are ignored. */
  update(t: RawTick, tsPublish: () => bigint): void {
    if (!L2Books.changesBook(t.kind)) return;
    this.books.update(t);
    this.lastSec[t.sym] = t.sec;
    this.lastNsec[t.sym] = t.nsec;
    if (!this.changed[t.sym]) {
      this.changed[t.sym] = true;
      this.dirty.push(t.sym);
    }
    // One snapshot per source event: a LOBSTER message that moves several levels is published once, after the last.
    if (this.mode === 'every' && !t.more) this.flush(tsPublish());
  }

  /** Best bid and ask of several books at once (pending updates applied first). */
  bboMany(syms: Uint32Array, out: Float64Array): void {
    this.books.bboMany(syms, out);
  }

  /** Apply pending updates and publish a snapshot of each book that changed. */
  flush(tsPublish: bigint): void {
    this.books.apply();
    for (const sym of this.dirty) {
      this.changed[sym] = false;
      const inst = this.instruments[sym]!;
      const { levels, bidLevels, askLevels } = this.books.top(sym);
      const half = 2 * this.depth;
      const frame = encodeBookSnapshot({
        symbol: inst.symbol,
        seq: ++this.seq[sym]!,
        tsEvent: BigInt(this.lastSec[sym]!) * 1_000_000_000n + BigInt(this.lastNsec[sym]!),
        tsPublish,
        priceExponent: -inst.priceDecimals,
        qtyExponent: -inst.qtyDecimals,
        bids: levels.subarray(0, half),
        bidLevels,
        asks: levels.subarray(half),
        askLevels,
      });
      this.pub.publish(topics.book(inst.symbol), frame);
      this.m.snapshots.inc({ symbol: inst.symbol });
      this.snapshots++;
      if (this.sampledMs > 0) this.sampledPending[sym] = frame;
    }
    this.dirty = [];
    if (this.sampledMs > 0) this.flushSampled(performance.now());
  }

  /** Publish each symbol's latest snapshot on the sampled topic if its interval has passed. */
  private flushSampled(now: number): void {
    for (let sym = 0; sym < this.sampledPending.length; sym++) {
      const frame = this.sampledPending[sym];
      if (!frame || now - this.sampledAt[sym]! < this.sampledMs) continue;
      this.sampledPending[sym] = null;
      this.sampledAt[sym] = now;
      this.pub.publish(topics.bookSampled(this.instruments[sym]!.symbol), frame);
    }
  }

  /** Send what the sampled topic still owes, and stop its timer. */
  close(): void {
    if (this.sampler) clearInterval(this.sampler);
    for (let sym = 0; sym < this.sampledPending.length; sym++) {
      const frame = this.sampledPending[sym];
      if (frame) this.pub.publish(topics.bookSampled(this.instruments[sym]!.symbol), frame);
      this.sampledPending[sym] = null;
    }
  }
}
