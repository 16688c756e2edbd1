export interface Candle {
  symbol: string;
  /** Interval start, ns since epoch (exchange time). */
  start: bigint;
  intervalNs: bigint;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
  vwap: number;
}

/**
 * OHLCV candles on exchange time (default 1 minute). `add` returns the candle that just closed when
 * a trade opens a new interval; intervals without trades produce no candle.
 */
export class CandleBuilder {
  private cur: Candle | null = null;
  private pv = 0;

  constructor(
    readonly symbol: string,
    readonly intervalNs = 60_000_000_000n,
  ) {}

  add(tsEvent: bigint, price: number, qty: number): Candle | null {
    const start = tsEvent - (tsEvent % this.intervalNs);
    let closed: Candle | null = null;
    if (this.cur && start !== this.cur.start) {
      closed = this.cur;
      this.cur = null;
    }
    if (!this.cur) {
      this.cur = { symbol: this.symbol, start, intervalNs: this.intervalNs, open: price, high: price, low: price, close: price, volume: 0, trades: 0, vwap: price };
      this.pv = 0;
    }
    const c = this.cur;
    if (price > c.high) c.high = price;
    if (price < c.low) c.low = price;
    c.close = price;
    c.volume += qty;
    c.trades++;
    this.pv += price * qty;
    c.vwap = this.pv / c.volume;
    return closed;
  }

  /** The candle being built (not closed yet). */
  get current(): Candle | null {
    return this.cur;
  }
}
