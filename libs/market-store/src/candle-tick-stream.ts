import { Aggressor, TickKind } from '@hft/messages';
import type { RawTick, ReplayInstruments, TickStream } from '@hft/replay';
import type { CandleStore, StoredCandle } from './candle-store.js';

const DAY_MS = 86_400_000;
// Where in its minute each of a bar's four trades happens: open, then the extreme the bar went to first, the other, close.
const OFFSETS_MS = [0, 15_000, 30_000, 45_000];

/**
 * Stored 1-minute candles replayed as ticks, for a backtest over history the store has but no tick
 * file does. Each bar becomes four trades (open; low then high for an up bar, high then low for a
 * down bar; close), each behind a one-tick-wide book around it, with the bar's volume split across
 * them on the lot grid. Fills are therefore bar-resolution approximations (README says so).
 */
export class CandleTickStream implements TickStream {
  readonly format = 'candles' as const;
  readonly totalBytes = 0;
  readonly bytesRead = 0;
  private dayMs: number;
  private buf: RawTick[] = [];
  private at = 0;

  constructor(
    private readonly store: CandleStore,
    private readonly instruments: ReplayInstruments,
    private readonly symbols: readonly string[],
    fromMs: number,
    private readonly toMs: number,
  ) {
    this.dayMs = fromMs;
  }

  async next(max: number): Promise<RawTick[] | null> {
    while (this.at >= this.buf.length) {
      if (this.dayMs >= this.toMs) return null;
      await this.loadDay();
    }
    const out = this.buf.slice(this.at, this.at + max);
    this.at += out.length;
    return out;
  }

  close(): void {
    this.buf = [];
  }

  /** One day of every symbol's minutes, merged by time (symbol order within a minute). */
  private async loadDay(): Promise<void> {
    const end = Math.min(this.toMs, Math.floor(this.dayMs / DAY_MS) * DAY_MS + DAY_MS);
    const bars: StoredCandle[] = [];
    for (const s of this.symbols) bars.push(...(await this.store.history(s, this.dayMs, end, '1m', 'UTC', 1440)));
    bars.sort((a, b) => a.startMs - b.startMs || this.symbols.indexOf(a.symbol) - this.symbols.indexOf(b.symbol));
    const ticks: RawTick[] = [];
    for (const b of bars) this.barTicks(b, ticks);
    ticks.sort((a, b) => a.sec - b.sec || a.nsec - b.nsec);
    this.buf = ticks;
    this.at = 0;
    this.dayMs = end;
  }

  private barTicks(b: StoredCandle, out: RawTick[]): void {
    const sym = this.instruments.indexOf(b.symbol);
    if (sym === undefined) return;
    const inst = this.instruments.list[sym]!;
    const up = b.close >= b.open;
    const prices = [b.open, up ? b.low : b.high, up ? b.high : b.low, b.close];
    const lots = Math.floor(b.volume / inst.lotUnits);
    const share = Math.floor(lots / 4);
    prices.forEach((p, k) => {
      const qty = (k === 3 ? lots - 3 * share : share) * inst.lotUnits;
      const ms = b.startMs + OFFSETS_MS[k]!;
      const sec = Math.floor(ms / 1000);
      const nsec = (ms % 1000) * 1e6;
      const depth = Math.max(inst.lotUnits, qty);
      const base = { sec, nsec, sym, aggressor: Aggressor.Unknown } as const;
      out.push({ ...base, kind: TickKind.Clear, priceUnits: 0, qtyUnits: 0, more: true });
      out.push({ ...base, kind: TickKind.Bid, priceUnits: p - inst.tickUnits, qtyUnits: depth, more: true });
      out.push({ ...base, kind: TickKind.Ask, priceUnits: p + inst.tickUnits, qtyUnits: depth, more: qty > 0 });
      if (qty > 0) out.push({ ...base, kind: TickKind.Trade, priceUnits: p, qtyUnits: qty });
    });
  }
}
