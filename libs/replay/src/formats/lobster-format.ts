import { Aggressor, TickKind } from '@hft/messages';
import type { RawTick, RowError } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import { rowError, type RowParser } from './row-parser.js';
import { quoteValue } from '../quote-value.js';

// LOBSTER message files (lobsterdata.com), no header:
//   time,type,orderId,size,price,direction
//   time       seconds after midnight (exchange local time, New York), up to ns decimals
//   type       1 submit, 2 partial cancel, 3 delete, 4 visible execution, 5 hidden execution,
//              6 cross trade, 7 trading halt
//   price      dollars x 10000;  direction 1 = buy order, -1 = sell order (the resting side for executions)
// The file name carries symbol and date: AAPL_2012-06-21_34200000_57600000_message_10.csv.
// The L3 book is rebuilt order by order here; what leaves is the aggregated L2 level that changed
// (its new total) and a trade for executions.

export const LOBSTER_NAME = /^([A-Z0-9.-]+)_(\d{4}-\d{2}-\d{2})_\d+_\d+_message_\d+\.csv$/;
const LOBSTER_DECIMALS = 4;

/** Epoch seconds of midnight in New York on `date` (YYYY-MM-DD). */
export function newYorkMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const noonUtc = new Date(Date.UTC(y, m - 1, d, 12));
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'shortOffset' })
    .formatToParts(noonUtc)
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT-5" / "GMT-4"
  const offsetHours = Number(name.replace('GMT', '') || '0');
  return Date.UTC(y, m - 1, d) / 1000 - offsetHours * 3600;
}

interface Order {
  side: 1 | -1;
  price: number;
  size: number;
}

export class LobsterRowParser implements RowParser {
  readonly headerLines = 0;
  private readonly orders = new Map<number, Order>();
  private readonly levels = { 1: new Map<number, number>(), [-1]: new Map<number, number>() } as Record<1 | -1, Map<number, number>>;
  /** LOBSTER prices are 1/10000 dollars; instrument units may be coarser. */
  private readonly divisor: number;
  private readonly tick: number;

  constructor(
    private readonly sym: number,
    private readonly midnightSec: number,
    instruments: ReplayInstruments,
  ) {
    const inst = instruments.list[sym]!;
    if (inst.priceDecimals > LOBSTER_DECIMALS) throw new RangeError(`${inst.symbol}: LOBSTER prices have ${LOBSTER_DECIMALS} decimals, the instrument wants ${inst.priceDecimals}`);
    this.divisor = 10 ** (LOBSTER_DECIMALS - inst.priceDecimals);
    this.tick = inst.tickUnits;
  }

  parse(rec: string[], out: RawTick[]): RowError | null {
    if (rec.length !== 6) return rowError('wrong_column_count', `${rec.length} columns, expected 6`);
    const [timeS, typeS, idS, sizeS, priceS, dirS] = rec as [string, string, string, string, string, string];
    const m = /^(\d{1,5})(?:\.(\d{1,9}))?$/.exec(timeS);
    if (!m) return rowError('bad_timestamp', `time ${quoteValue(timeS)} is not seconds after midnight`);
    const sec = this.midnightSec + Number(m[1]);
    const nsec = Number((m[2] ?? '').padEnd(9, '0'));
    const type = Number(typeS);
    if (!Number.isInteger(type) || type < 1 || type > 7) return rowError('unknown_type', `event type ${quoteValue(typeS)} is not 1-7`);
    if (type === 7) return null; // trading halt: nothing to publish
    const id = Number(idS);
    const size = Number(sizeS);
    const raw = Number(priceS);
    const dir = Number(dirS);
    if (!Number.isInteger(size) || !/^-?\d+$/.test(sizeS)) return rowError('non_numeric_qty', `size ${quoteValue(sizeS)} is not an integer`);
    if (size < 0) return rowError('negative_qty', `size ${sizeS} is negative`);
    if (!/^-?\d+$/.test(priceS) || !Number.isSafeInteger(raw)) return rowError('non_numeric_price', `price ${quoteValue(priceS)} is not an integer (dollars x 10000)`);
    if (raw <= 0) return rowError('non_positive_price', `price ${priceS} must be > 0`);
    if (raw % this.divisor !== 0 || (raw / this.divisor) % this.tick !== 0) return rowError('off_tick', `price ${priceS} is off the tick grid`);
    if (dir !== 1 && dir !== -1) return rowError('unknown_side', `direction ${quoteValue(dirS)} is not 1 or -1`);
    const price = raw / this.divisor;
    const trade = (): void => {
      // The resting order's side was hit: a resting buy means a seller took liquidity.
      out.push({ sec, nsec, sym: this.sym, kind: TickKind.Trade, aggressor: dir === 1 ? Aggressor.Seller : Aggressor.Buyer, priceUnits: price, qtyUnits: size });
    };
    if (type === 5 || type === 6) {
      if (size === 0) return rowError('zero_trade_qty', 'a trade needs a size > 0');
      trade();
      return null;
    }
    if (type === 1) {
      if (size === 0) return rowError('zero_trade_qty', 'a submitted order needs a size > 0');
      if (this.orders.has(id)) return rowError('unknown_order', `order ${id} submitted twice`);
      this.orders.set(id, { side: dir, price, size });
      this.level(dir, price, size, sec, nsec, out);
      return null;
    }
    const o = this.orders.get(id);
    if (!o) return rowError('unknown_order', `order ${id} was never submitted in this file`);
    if (o.price !== price || o.side !== dir) return rowError('unknown_order', `order ${id} rests at ${o.price}/${o.side}, message says ${price}/${dir}`);
    const removed = type === 3 ? o.size : size;
    if (removed > o.size) return rowError('negative_qty', `order ${id} has ${o.size} left, message removes ${removed}`);
    if (type === 4) trade();
    o.size -= removed;
    if (o.size === 0) this.orders.delete(id);
    this.level(dir, price, -removed, sec, nsec, out);
    return null;
  }

  private level(side: 1 | -1, price: number, delta: number, sec: number, nsec: number, out: RawTick[]): void {
    const m = this.levels[side];
    const total = (m.get(price) ?? 0) + delta;
    if (total === 0) m.delete(price);
    else m.set(price, total);
    out.push({ sec, nsec, sym: this.sym, kind: side === 1 ? TickKind.Bid : TickKind.Ask, aggressor: Aggressor.Unknown, priceUnits: price, qtyUnits: total });
  }
}
