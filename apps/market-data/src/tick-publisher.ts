import type { Instrument } from '@hft/config';
import type { Aggressor } from '@hft/messages';
import { TICK_KIND_NAMES, TickFrameEncoder, TickKind, topics } from '@hft/messages';
import type { Publisher } from '@hft/transport';
import type { MdMetrics } from './md-metrics.js';
import { type RawTick } from '@hft/replay';


/** One topic per symbol, a frame encoder per symbol, and the symbols with a partly filled frame. */
class FrameLane {
  private readonly encoders: TickFrameEncoder[];
  private readonly topics: string[];
  private dirty: number[] = [];
  frames = 0;

  constructor(
    private readonly pub: Publisher,
    instruments: readonly Instrument[],
    topic: (symbol: string) => string,
    maxBatch: number,
  ) {
    this.encoders = instruments.map((i) => new TickFrameEncoder(i.symbol, -i.priceDecimals, -i.qtyDecimals, maxBatch));
    this.topics = instruments.map((i) => topic(i.symbol));
  }

  add(seq: number, t: RawTick, tsPublish: () => bigint): void {
    const enc = this.encoders[t.sym]!;
    if (enc.count === 0) this.dirty.push(t.sym);
    enc.add(seq, t.sec, t.nsec, t.kind as TickKind, t.aggressor as Aggressor, t.priceUnits, t.qtyUnits);
    if (enc.full) this.send(t.sym, tsPublish());
  }

  /** Publish every partly filled frame. */
  flush(tsPublish: bigint): void {
    for (const sym of this.dirty) if (this.encoders[sym]!.count > 0) this.send(sym, tsPublish);
    this.dirty = [];
  }

  private send(sym: number, tsPublish: bigint): void {
    this.pub.publish(this.topics[sym]!, this.encoders[sym]!.finish(tsPublish));
    this.frames++;
  }
}

/**
 * Sequences ticks per symbol and packs them into binary frames (up to `maxBatch` ticks each) on
 * `md.tick.<SYMBOL>`. Counts are kept locally and added to the metrics once per flush. With
 * `tradeTopic`, the trades also go to `md.trade.<SYMBOL>` (same sequence numbers, quotes left out), so
 * risk and monitoring wake for the trades they use, not for every quote.
 */
export class TickPublisher {
  private readonly all: FrameLane;
  private readonly trades: FrameLane | null;
  private readonly seq: number[];
  private readonly counts: number[][];
  ticks = 0;

  constructor(
    pub: Publisher,
    private readonly instruments: readonly Instrument[],
    maxBatch: number,
    private readonly m: MdMetrics,
    tradeTopic = false,
  ) {
    this.all = new FrameLane(pub, instruments, topics.tick, maxBatch);
    this.trades = tradeTopic ? new FrameLane(pub, instruments, topics.trade, maxBatch) : null;
    this.seq = instruments.map(() => 0);
    this.counts = instruments.map(() => TICK_KIND_NAMES.map(() => 0));
  }

  /** Frames published on md.tick (the trade topic's are not counted: they repeat those ticks). */
  get frames(): number {
    return this.all.frames;
  }

  /** Next sequence number of a symbol's tick stream (the last one published + 1). */
  nextSeq(sym: number): number {
    return this.seq[sym]! + 1;
  }

  add(t: RawTick, tsPublish: () => bigint): void {
    const seq = ++this.seq[t.sym]!;
    this.all.add(seq, t, tsPublish);
    if (t.kind === TickKind.Trade) this.trades?.add(seq, t, tsPublish);
    this.counts[t.sym]![t.kind]!++;
    this.ticks++;
  }

  /** Publish every partly filled frame. */
  flush(tsPublish: bigint): void {
    this.all.flush(tsPublish);
    this.trades?.flush(tsPublish);
    this.instruments.forEach((inst, sym) => {
      const c = this.counts[sym]!;
      for (let k = 0; k < TICK_KIND_NAMES.length; k++) {
        if (c[k]! > 0) {
          this.m.ticks.inc({ symbol: inst.symbol, kind: TICK_KIND_NAMES[k]! }, c[k]!);
          c[k] = 0;
        }
      }
    });
  }
}
