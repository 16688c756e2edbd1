import { zonedMidnightSec } from '@hft/config';
import { Aggressor, TickKind } from '@hft/messages';
import type { RawTick, RowError } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import { rowError, type RowParser } from './row-parser.js';
import { quoteValue } from '../quote-value.js';
import type { LobsterBookRow, LobsterOrderbookReader } from './lobster-orderbook.js';

// LOBSTER message files (lobsterdata.com), no header:
//   time,type,orderId,size,price,direction
//   time       seconds after midnight (exchange local time, New York), up to ns decimals
//   type       1 submit, 2 partial cancel, 3 delete, 4 visible execution, 5 hidden execution,
//              6 cross trade, 7 trading halt
//   price      dollars x 10000;  direction 1 = buy order, -1 = sell order (the resting side for executions)
// The file name carries symbol and date: AAPL_2012-06-21_34200000_57600000_message_10.csv.
// The L3 book is rebuilt order by order here; what leaves is the aggregated L2 level that changed
// (its new total) and a trade for executions.
//
// Real files start mid-session: their first messages execute and delete orders placed before the file
// begins. With the orderbook file beside it (row k = the top N levels after message k), the book
// starts from row 1 with message 1 undone, and a message about an order placed earlier changes the
// level at its price. Levels deeper than row 1 showed are unknown until they come into view: when a
// row shows levels beyond what was known, they are taken from the row (the frontier moves out).
// A visible level inside the frontier that disagrees with the row is a bad row (`book_mismatch`),
// corrected from the row, so the published book always equals LOBSTER's own.

export const LOBSTER_NAME = /^([A-Z0-9.-]+)_(\d{4}-\d{2}-\d{2})_\d+_\d+_message_\d+\.csv$/;
const LOBSTER_DECIMALS = 4;

/** Epoch seconds of midnight in New York on `date` (YYYY-MM-DD). */
export function newYorkMidnight(date: string): number {
  return zonedMidnightSec(date, 'America/New_York');
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
  /** Mid-session: the part of each level held by orders placed before the file began (the rest is known orders). */
  private readonly before = { 1: new Map<number, number>(), [-1]: new Map<number, number>() } as Record<1 | -1, Map<number, number>>;
  /** LOBSTER prices are 1/10000 dollars; instrument units may be coarser. */
  private readonly divisor: number;
  private readonly tick: number;
  /** Per side, the worst price known completely (every level at or better than it): +-Infinity = the whole side. */
  private readonly frontier: Record<1 | -1, number> = { 1: -Infinity, [-1]: Infinity };
  private started = false;

  constructor(
    private readonly sym: number,
    private readonly midnightSec: number,
    instruments: ReplayInstruments,
    private readonly orderbook: LobsterOrderbookReader | null = null,
  ) {
    const inst = instruments.list[sym]!;
    if (inst.priceDecimals > LOBSTER_DECIMALS) throw new RangeError(`${inst.symbol}: LOBSTER prices have ${LOBSTER_DECIMALS} decimals, the instrument wants ${inst.priceDecimals}`);
    this.divisor = 10 ** (LOBSTER_DECIMALS - inst.priceDecimals);
    this.tick = inst.tickUnits;
  }

  parse(rec: string[], out: RawTick[]): RowError | null {
    // Row k of the orderbook file belongs to message k, refused or not: read it first to stay in step.
    const row = this.orderbook ? this.nextRow() : null;
    if (this.orderbook && !row) return rowError('book_mismatch', `the orderbook file ${this.orderbook.path} ends before the message file`);
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
    const dir = Number(dirS) as 1 | -1;
    if (!Number.isInteger(size) || !/^-?\d+$/.test(sizeS)) return rowError('non_numeric_qty', `size ${quoteValue(sizeS)} is not an integer`);
    if (size < 0) return rowError('negative_qty', `size ${sizeS} is negative`);
    if (!/^-?\d+$/.test(priceS) || !Number.isSafeInteger(raw)) return rowError('non_numeric_price', `price ${quoteValue(priceS)} is not an integer (dollars x 10000)`);
    if (raw <= 0) return rowError('non_positive_price', `price ${priceS} must be > 0`);
    if (raw % this.divisor !== 0 || (raw / this.divisor) % this.tick !== 0) return rowError('off_tick', `price ${priceS} is off the tick grid`);
    if (dir !== 1 && dir !== -1) return rowError('unknown_side', `direction ${quoteValue(dirS)} is not 1 or -1`);
    const price = raw / this.divisor;
    const first = out.length;
    if (row && !this.started) this.seed(row, type, price, dir, size, sec, nsec, out);
    this.started = true;
    const err = this.apply(type, id, size, price, dir, sec, nsec, out);
    if (row) {
      const why = this.reconcile(row, sec, nsec, out);
      for (let i = first; i < out.length - 1; i++) if (out[i]!.kind !== TickKind.Trade) out[i]!.more = true;
      if (why && !err) return rowError('book_mismatch', why);
    }
    return err;
  }

  private apply(type: number, id: number, size: number, price: number, dir: 1 | -1, sec: number, nsec: number, out: RawTick[]): RowError | null {
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
    if (!o && this.orderbook) {
      // Placed before the file began: it rests in the level at its price, whose earlier part loses what the message removes.
      if (type === 4) trade();
      const b = this.before[dir];
      const removed = Math.min(size, b.get(price) ?? 0);
      this.addTo(b, price, -removed);
      this.level(dir, price, -removed, sec, nsec, out);
      return null;
    }
    if (!o) return rowError('unknown_order', `order ${id} was never submitted in this file (give the orderbook file to start mid-session)`);
    if (o.price !== price || o.side !== dir) return rowError('unknown_order', `order ${id} rests at ${o.price}/${o.side}, message says ${price}/${dir}`);
    const removed = type === 3 ? o.size : size;
    if (removed > o.size) return rowError('negative_qty', `order ${id} has ${o.size} left, message removes ${removed}`);
    if (type === 4) trade();
    o.size -= removed;
    if (o.size === 0) this.orders.delete(id);
    this.level(dir, price, -removed, sec, nsec, out);
    return null;
  }

  private nextRow(): LobsterBookRow | null {
    const r = this.orderbook!.next();
    return r && { asks: r.asks.map(([p, q]) => [p / this.divisor, q]), bids: r.bids.map(([p, q]) => [p / this.divisor, q]) };
  }

  /** The book before message 1: row 1 with message 1's effect undone; levels beyond row 1's depth unknown. */
  private seed(row: LobsterBookRow, type: number, price: number, dir: 1 | -1, size: number, sec: number, nsec: number, out: RawTick[]): void {
    const n = this.orderbook!.levels;
    for (const [side, levels] of [[-1, row.asks], [1, row.bids]] as const) {
      for (const [p, q] of levels) this.before[side].set(p, q);
      if (levels.length === n) this.frontier[side] = levels[n - 1]![0];
    }
    // Undo message 1: a submit was not there yet; what a cancel, delete or execution removed was.
    this.addTo(this.before[dir], price, type === 1 ? -size : type === 2 || type === 3 || type === 4 ? size : 0);
    for (const side of [-1, 1] as const) for (const [p, q] of this.before[side]) this.levels[side].set(p, q);
    for (const side of [-1, 1] as const) {
      for (const [p, q] of this.levels[side]) out.push({ sec, nsec, sym: this.sym, kind: side === 1 ? TickKind.Bid : TickKind.Ask, aggressor: Aggressor.Unknown, priceUnits: p, qtyUnits: q });
    }
  }

  /**
   * After a message: levels the row shows beyond the frontier are taken from it (they were resting
   * before the file began), then the frontier moves out; a level inside it that disagrees is corrected
   * and reported.
   */
  private reconcile(row: LobsterBookRow, sec: number, nsec: number, out: RawTick[]): string | null {
    const n = this.orderbook!.levels;
    let why: string | null = null;
    for (const [side, levels] of [[-1, row.asks], [1, row.bids]] as const) {
      const beyond = (p: number): boolean => (side === 1 ? p < this.frontier[1] : p > this.frontier[-1]);
      const m = this.levels[side];
      const listed = new Set<number>();
      for (const [p, q] of levels) {
        listed.add(p);
        const ours = m.get(p) ?? 0;
        if (ours === q) continue;
        if (!beyond(p)) why ??= `${side === 1 ? 'bid' : 'ask'} ${p} holds ${ours} here, ${q} in the orderbook file (row ${this.orderbook!.row})`;
        this.addTo(this.before[side], p, q - ours);
        this.level(side, p, q - ours, sec, nsec, out);
      }
      // Levels inside the row's range that it does not list are empty in truth.
      const worst = levels.length === n ? levels[n - 1]![0] : side === 1 ? -Infinity : Infinity;
      for (const [p, q] of [...m]) {
        const inRange = side === 1 ? p >= worst : p <= worst;
        if (!inRange || listed.has(p)) continue;
        if (!beyond(p)) why ??= `${side === 1 ? 'bid' : 'ask'} ${p} holds ${q} here, nothing in the orderbook file (row ${this.orderbook!.row})`;
        this.addTo(this.before[side], p, -q);
        this.level(side, p, -q, sec, nsec, out);
      }
      if (side === 1 ? worst < this.frontier[1] : worst > this.frontier[-1]) this.frontier[side] = worst;
    }
    return why;
  }

  /** Add to a map of volumes, never below zero (a level the file contradicts is reported, not made negative). */
  private addTo(m: Map<number, number>, price: number, delta: number): void {
    const v = Math.max(0, (m.get(price) ?? 0) + delta);
    if (v === 0) m.delete(price);
    else m.set(price, v);
  }

  private level(side: 1 | -1, price: number, delta: number, sec: number, nsec: number, out: RawTick[]): void {
    const m = this.levels[side];
    this.addTo(m, price, delta);
    const total = m.get(price) ?? 0;
    out.push({ sec, nsec, sym: this.sym, kind: side === 1 ? TickKind.Bid : TickKind.Ask, aggressor: Aggressor.Unknown, priceUnits: price, qtyUnits: total });
  }
}
