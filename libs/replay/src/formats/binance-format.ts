import { Aggressor, TickKind } from '@hft/messages';
import type { RawTick, RowError } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import { parseEpochMsOrUs, type Instant } from '../timestamps.js';
import { priceField, qtyField, rowError, type RowParser } from './row-parser.js';
import { quoteValue } from '../quote-value.js';

// Binance public data (data.binance.vision), no header or with one:
//   trades:    id,price,qty,quoteQty,time,isBuyerMaker,isBestMatch
//   aggTrades: aggId,price,qty,firstId,lastId,time,isBuyerMaker,isBestMatch
// time is ms since the epoch, or µs for files from 2025 on: detected per value (>= 1e14 is µs).
// isBuyerMaker = true means the seller took liquidity.

export type BinanceKind = 'binance-trades' | 'binance-aggtrades';

const LAYOUT: Record<BinanceKind, { width: number; time: number; maker: number }> = {
  'binance-trades': { width: 7, time: 4, maker: 5 },
  'binance-aggtrades': { width: 8, time: 5, maker: 6 },
};

export class BinanceRowParser implements RowParser {
  private readonly layout: { width: number; time: number; maker: number };
  private readonly t: Instant = { sec: 0, nsec: 0 };

  constructor(
    kind: BinanceKind,
    readonly headerLines: number,
    private readonly sym: number,
    private readonly instruments: ReplayInstruments,
  ) {
    this.layout = LAYOUT[kind];
  }

  parse(rec: string[], out: RawTick[]): RowError | null {
    const L = this.layout;
    // A row of another width is a truncated line or a different file format.
    if (rec.length !== L.width) return rowError('wrong_column_count', `${rec.length} columns, expected ${L.width}`);
    if (!parseEpochMsOrUs(rec[L.time]!, this.t)) return rowError('bad_timestamp', `time ${quoteValue(rec[L.time])} is not epoch ms/µs`);
    const inst = this.instruments.list[this.sym]!;
    const p = priceField(rec[1]!, inst);
    if (typeof p !== 'number') return p;
    const q = qtyField(rec[2]!, inst);
    if (typeof q !== 'number') return q;
    if (q === 0) return rowError('zero_trade_qty', 'a trade needs a quantity > 0');
    const maker = rec[L.maker]!.toLowerCase();
    if (maker !== 'true' && maker !== 'false') return rowError('unknown_side', `isBuyerMaker ${quoteValue(rec[L.maker])} is not true|false`);
    out.push({
      sec: this.t.sec,
      nsec: this.t.nsec,
      sym: this.sym,
      kind: TickKind.Trade,
      aggressor: maker === 'true' ? Aggressor.Seller : Aggressor.Buyer,
      priceUnits: p,
      qtyUnits: q,
    });
    return null;
  }
}
