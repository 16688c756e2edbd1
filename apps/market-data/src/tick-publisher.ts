import type { Instrument } from '@hft/config';
import type { Aggressor } from '@hft/messages';
import { TickFrameEncoder, TickKind, topics } from '@hft/messages';
import type { Publisher } from '@hft/transport';
import type { MdMetrics } from './md-metrics.js';
import { type RawTick } from '@hft/replay';

const KIND_LABEL = ['clear', 'trade', 'bid', 'ask'] as const;

/**
 * Sequences ticks per symbol and packs them into binary frames (up to `maxBatch` ticks each) on
 * `md.tick.<SYMBOL>`. Counts are kept locally and added to the metrics once per flush. With
 * `tradeTopic`, the trades also go to `md.trade.<SYMBOL>` (same sequence numbers, quotes left out), so
 * risk and monitoring wake for the trades they use, not for every quote.
 */
export class TickPublisher {
  private readonly encoders: TickFrameEncoder[];
  private readonly topics: string[];
  private readonly seq: number[];
  private readonly counts: number[][];
  private dirty: number[] = [];
  private readonly trades: TickFrameEncoder[];
  private readonly tradeTopics: string[];
  private tradesDirty: number[] = [];
  frames = 0;
  ticks = 0;

  constructor(
    private readonly pub: Publisher,
    private readonly instruments: readonly Instrument[],
    maxBatch: number,
    private readonly m: MdMetrics,
    private readonly tradeTopic = false,
  ) {
    this.trades = tradeTopic ? instruments.map((i) => new TickFrameEncoder(i.symbol, -i.priceDecimals, -i.qtyDecimals, maxBatch)) : [];
    this.tradeTopics = instruments.map((i) => topics.trade(i.symbol));
    this.encoders = instruments.map((i) => new TickFrameEncoder(i.symbol, -i.priceDecimals, -i.qtyDecimals, maxBatch));
    this.topics = instruments.map((i) => topics.tick(i.symbol));
    this.seq = instruments.map(() => 0);
    this.counts = instruments.map(() => [0, 0, 0, 0]);
  }

  /** Next sequence number of a symbol's tick stream (the last one published + 1). */
  nextSeq(sym: number): number {
    return this.seq[sym]! + 1;
  }

  add(t: RawTick, tsPublish: () => bigint): void {
    const enc = this.encoders[t.sym]!;
    if (enc.count === 0) this.dirty.push(t.sym);
    const seq = ++this.seq[t.sym]!;
    enc.add(seq, t.sec, t.nsec, t.kind as TickKind, t.aggressor as Aggressor, t.priceUnits, t.qtyUnits);
    this.counts[t.sym]![t.kind]!++;
    this.ticks++;
    if (enc.full) this.send(t.sym, tsPublish());
    if (this.tradeTopic && t.kind === TickKind.Trade) {
      const tr = this.trades[t.sym]!;
      if (tr.count === 0) this.tradesDirty.push(t.sym);
      tr.add(seq, t.sec, t.nsec, TickKind.Trade, t.aggressor as Aggressor, t.priceUnits, t.qtyUnits);
      if (tr.full) this.sendTrades(t.sym, tsPublish());
    }
  }

  /** Publish every partly filled frame. */
  flush(tsPublish: bigint): void {
    for (const sym of this.dirty) if (this.encoders[sym]!.count > 0) this.send(sym, tsPublish);
    this.dirty = [];
    for (const sym of this.tradesDirty) if (this.trades[sym]!.count > 0) this.sendTrades(sym, tsPublish);
    this.tradesDirty = [];
    this.instruments.forEach((inst, sym) => {
      const c = this.counts[sym]!;
      for (let k = 1; k < 4; k++) {
        if (c[k]! > 0) {
          this.m.ticks.inc({ symbol: inst.symbol, kind: KIND_LABEL[k]! }, c[k]!);
          c[k] = 0;
        }
      }
    });
  }

  private send(sym: number, tsPublish: bigint): void {
    this.pub.publish(this.topics[sym]!, this.encoders[sym]!.finish(tsPublish));
    this.frames++;
  }

  private sendTrades(sym: number, tsPublish: bigint): void {
    this.pub.publish(this.tradeTopics[sym]!, this.trades[sym]!.finish(tsPublish));
  }
}
