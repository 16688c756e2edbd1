import type { RawTick } from './raw-tick.js';
import type { TickStream } from './tick-stream.js';

interface Lane {
  source: TickStream;
  buf: RawTick[];
  at: number;
  done: boolean;
}

/**
 * K-way merge of several files by exchange time (ties keep file order). Sources are read in batches;
 * `take` is synchronous and returns null when a lane needs `refill` first, so ordering never depends
 * on which file happens to be buffered.
 */
export class TickMerger {
  private readonly lanes: Lane[];
  /** The source (its index in the constructor's list) of the tick `take` returned last. */
  lastSource = -1;

  constructor(
    sources: TickStream[],
    private readonly batch = 1024,
  ) {
    this.lanes = sources.map((source) => ({ source, buf: [], at: 0, done: false }));
  }

  /** Refill every empty lane; false when all are exhausted. */
  async refill(): Promise<boolean> {
    for (const l of this.lanes) {
      while (!l.done && l.at >= l.buf.length) {
        const next = await l.source.next(this.batch);
        if (next === null) l.done = true;
        else {
          l.buf = next;
          l.at = 0;
        }
      }
    }
    return this.lanes.some((l) => !l.done);
  }

  take(): RawTick | null {
    let best: Lane | null = null;
    let bt: RawTick | null = null;
    let bi = -1;
    for (let i = 0; i < this.lanes.length; i++) {
      const l = this.lanes[i]!;
      if (l.at >= l.buf.length) {
        if (!l.done) return null;
        continue;
      }
      const t = l.buf[l.at]!;
      if (bt === null || t.sec < bt.sec || (t.sec === bt.sec && t.nsec < bt.nsec)) {
        best = l;
        bt = t;
        bi = i;
      }
    }
    if (best) best.at++;
    this.lastSource = bi;
    return bt;
  }

  get bytesRead(): number {
    return this.lanes.reduce((n, l) => n + l.source.bytesRead, 0);
  }

  get totalBytes(): number {
    return this.lanes.reduce((n, l) => n + l.source.totalBytes, 0);
  }

  close(): void {
    for (const l of this.lanes) l.source.close();
  }
}
