import { Aggressor, TickKind, type BookSnapshot, type Tick } from '@hft/messages';
import { imbalance, microprice } from './book-features.js';
import { CandleBuilder, type Candle } from './candles.js';
import { Ema } from './ema.js';
import { RollingStats } from './rolling-stats.js';
import { classifyTrade } from './trade-side.js';
import { Vwap } from './vwap.js';

export interface FeatureSettings {
  /** Levels per side for the imbalance. */
  imbalanceLevels: number;
  /** EMA span (samples of the mid). */
  emaSpan: number;
  /** Rolling window (samples of the mid) for mean / standard deviation. */
  rollingWindow: number;
  candleIntervalNs: bigint;
}

export const DEFAULT_FEATURES: FeatureSettings = { imbalanceLevels: 5, emaSpan: 20, rollingWindow: 120, candleIntervalNs: 60_000_000_000n };

/**
 * Everything a strategy wants to know about one symbol, updated incrementally from its ticks and
 * book snapshots. The mid is sampled on each book snapshot (EMA and rolling stats).
 */
export class SymbolFeatures {
  bestBid = Number.NaN;
  bestAsk = Number.NaN;
  bidSize = 0;
  askSize = 0;
  mid = Number.NaN;
  microprice = Number.NaN;
  spread = Number.NaN;
  imbalance = 0;
  lastPrice = Number.NaN;
  lastQty = 0;
  lastAggressor: Aggressor = Aggressor.Unknown;
  buyVolume = 0;
  sellVolume = 0;
  /** Exchange time of the latest tick or snapshot seen. */
  lastEventNs = 0n;
  readonly vwap = new Vwap();
  readonly ema: Ema;
  readonly rolling: RollingStats;
  readonly candles: CandleBuilder;
  lastCandle: Candle | null = null;

  constructor(
    readonly symbol: string,
    readonly settings: FeatureSettings = DEFAULT_FEATURES,
  ) {
    this.ema = Ema.ofSpan(settings.emaSpan);
    this.rolling = new RollingStats(settings.rollingWindow);
    this.candles = new CandleBuilder(symbol, settings.candleIntervalNs);
  }

  /** Returns a candle when this trade closed one. */
  onTick(t: Tick): Candle | null {
    this.lastEventNs = t.tsEvent;
    if (t.kind !== TickKind.Trade) return null;
    const side = classifyTrade(t.aggressor, t.price, this.mid, this.lastPrice, this.lastAggressor);
    this.lastAggressor = side;
    this.lastPrice = t.price;
    this.lastQty = t.qty;
    if (side === Aggressor.Buyer) this.buyVolume += t.qty;
    else if (side === Aggressor.Seller) this.sellVolume += t.qty;
    this.vwap.add(t.price, t.qty);
    const closed = this.candles.add(t.tsEvent, t.price, t.qty);
    if (closed) this.lastCandle = closed;
    return closed;
  }

  onBook(b: BookSnapshot): void {
    this.lastEventNs = b.tsEvent;
    const bid = b.bids[0];
    const ask = b.asks[0];
    this.bestBid = bid?.price ?? Number.NaN;
    this.bestAsk = ask?.price ?? Number.NaN;
    this.bidSize = bid?.qty ?? 0;
    this.askSize = ask?.qty ?? 0;
    this.imbalance = imbalance(b.bids, b.asks, this.settings.imbalanceLevels);
    if (bid && ask) {
      this.mid = (bid.price + ask.price) / 2;
      this.spread = ask.price - bid.price;
      this.microprice = microprice(bid, ask);
      this.ema.update(this.mid);
      this.rolling.update(this.mid);
    } else {
      this.mid = Number.NaN;
      this.spread = Number.NaN;
      this.microprice = Number.NaN;
    }
  }

  /** Spread in basis points of the mid. */
  get spreadBps(): number {
    return (this.spread / this.mid) * 1e4;
  }
}
