import type { Instrument } from '@hft/config';
import type { StoredCandle } from './candle-store.js';

const MINUTE_MS = 60_000;

/**
 * Trades into 1-minute candles in integer units, the one aggregation the live recorder and the tick
 * backfill share (so backfilling a file the recorder saw changes nothing). A minute closes when a
 * later trade of its symbol arrives, or when exchange time (`advance`) passes its end.
 */
export class MinuteCandles {
  private readonly open = new Map<string, StoredCandle>();
  /** Exchange time: the latest trade seen of any symbol (epoch ms). */
  clockMs = 0;
  private scanned = 0;

  constructor(private readonly onClose: (c: StoredCandle) => void) {}

  trade(inst: Instrument, tsMs: number, priceUnits: number, qtyUnits: number): void {
    const symbol = inst.symbol;
    const start = tsMs - (((tsMs % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
    let c = this.open.get(symbol);
    if (c && start > c.startMs) {
      this.onClose(c);
      c = undefined;
    }
    if (!c) {
      c = { symbol, startMs: start, open: priceUnits, high: priceUnits, low: priceUnits, close: priceUnits, volume: 0, trades: 0, turnover: 0 };
      this.open.set(symbol, c);
    }
    // A late trade of a minute already closed is folded into the open one (merged feeds keep time order, so it is rare).
    if (priceUnits > c.high) c.high = priceUnits;
    if (priceUnits < c.low) c.low = priceUnits;
    c.close = priceUnits;
    c.volume += qtyUnits;
    c.trades++;
    // In currency, computed here alone so the recorder and a backfill add the very same doubles.
    c.turnover += (priceUnits / inst.priceScale) * (qtyUnits / inst.qtyScale);
    if (tsMs > this.clockMs) this.clockMs = tsMs;
  }

  /** Close every minute that ended by `nowMs` (exchange time moved on without a trade of that symbol). */
  advance(nowMs: number): void {
    if (nowMs > this.clockMs) this.clockMs = nowMs;
    // Only when the clock enters a new minute: a scan of every open candle per frame would not scale.
    const minute = Math.floor(this.clockMs / MINUTE_MS);
    if (minute === this.scanned) return;
    this.scanned = minute;
    for (const [s, c] of this.open) {
      if (c.startMs + MINUTE_MS <= this.clockMs) {
        this.open.delete(s);
        this.onClose(c);
      }
    }
  }

  /** Close everything (the end of a file). */
  flush(): void {
    for (const c of this.open.values()) this.onClose(c);
    this.open.clear();
  }

  /** The minute being built for a symbol (null when none). */
  current(symbol: string): StoredCandle | null {
    return this.open.get(symbol) ?? null;
  }

  symbols(): string[] {
    return [...this.open.keys()];
  }
}
