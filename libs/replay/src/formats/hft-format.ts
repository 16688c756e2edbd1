import { Aggressor, TickKind } from '@hft/messages';
import { CLEAR_BOOK, type RawTick, type RowError } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import { parseEpochNs, parseIso, type Instant } from '../timestamps.js';
import { priceField, qtyField, rowError, type RowParser } from './row-parser.js';
import { quoteValue } from '../quote-value.js';

// The project's own format (data/market_data.csv):
//   ts,symbol,type,side,price,qty
//   ts     integer ns since the epoch, or ISO 8601 UTC with up to 9 fraction digits
//   type   trade | bid | ask | clear
//   side   trades: the aggressor, buy | sell | empty when unknown; ignored for other types
//   price  decimal, on the instrument's tick grid (ignored for clear)
//   qty    trades: the traded size (> 0); bid/ask: the new total size at that price level, 0 removes
//          the level; ignored for clear
// Columns are found by header name, so their order is free.

export const HFT_COLUMNS = ['ts', 'symbol', 'type', 'side', 'price', 'qty'] as const;

const KINDS: Record<string, RawTick['kind']> = { trade: TickKind.Trade, bid: TickKind.Bid, ask: TickKind.Ask, clear: CLEAR_BOOK };
const AGGRESSORS: Record<string, Aggressor> = { buy: Aggressor.Buyer, sell: Aggressor.Seller, '': Aggressor.Unknown };

export function isHftHeader(fields: string[]): boolean {
  const names = fields.map((f) => f.trim().toLowerCase());
  return HFT_COLUMNS.every((c) => names.includes(c));
}

export class HftRowParser implements RowParser {
  readonly headerLines = 1;
  private readonly col: Record<(typeof HFT_COLUMNS)[number], number>;
  private readonly width: number;
  private readonly t: Instant = { sec: 0, nsec: 0 };

  constructor(
    header: string[],
    private readonly instruments: ReplayInstruments,
  ) {
    const names = header.map((f) => f.trim().toLowerCase());
    this.col = Object.fromEntries(HFT_COLUMNS.map((c) => [c, names.indexOf(c)])) as HftRowParser['col'];
    this.width = header.length;
  }

  parse(rec: string[], out: RawTick[]): RowError | null {
    if (rec.length !== this.width) {
      return rowError('wrong_column_count', rec.length === 1 && rec[0] === '' ? 'empty line' : `${rec.length} columns, header has ${this.width}`);
    }
    const ts = rec[this.col.ts]!;
    if (!parseEpochNs(ts, this.t) && !parseIso(ts, this.t)) return rowError('bad_timestamp', `ts ${quoteValue(ts)} is neither epoch ns nor ISO 8601`);
    const symbol = rec[this.col.symbol]!;
    const sym = this.instruments.indexOf(symbol);
    if (sym === undefined) return rowError('unknown_symbol', `symbol ${quoteValue(symbol)} is not in [[instruments]]`);
    const kind = KINDS[rec[this.col.type]!];
    if (kind === undefined) return rowError('unknown_type', `type ${quoteValue(rec[this.col.type])} is not trade|bid|ask|clear`);
    const inst = this.instruments.list[sym]!;
    let priceUnits = 0;
    let qtyUnits = 0;
    let aggressor: Aggressor = Aggressor.Unknown;
    if (kind !== CLEAR_BOOK) {
      const p = priceField(rec[this.col.price]!, inst);
      if (typeof p !== 'number') return p;
      const q = qtyField(rec[this.col.qty]!, inst);
      if (typeof q !== 'number') return q;
      priceUnits = p;
      qtyUnits = q;
      if (kind === TickKind.Trade) {
        if (q === 0) return rowError('zero_trade_qty', 'a trade needs a quantity > 0');
        const a = AGGRESSORS[rec[this.col.side]!];
        if (a === undefined) return rowError('unknown_side', `side ${quoteValue(rec[this.col.side])} is not buy|sell|empty`);
        aggressor = a;
      }
    }
    out.push({ sec: this.t.sec, nsec: this.t.nsec, sym, kind, aggressor, priceUnits, qtyUnits });
    return null;
  }
}
