import { Aggressor, TickKind } from '@hft/messages';
import type { Instrument } from '@hft/config';
import { parseUnits } from '../decimal-units.js';
import { quoteValue } from '../quote-value.js';
import type { RawTick, RowError } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import { parseEpochNs, parseIso, type Instant } from '../timestamps.js';
import { priceField, qtyField, rowError, type RowParser } from './row-parser.js';

// Option quotes (data/aapl_options.csv), one row per contract update, like a vendor's chain feed:
//   ts,underlying,expiry,strike,right,bid,bid_size,ask,ask_size[,last,last_size][,open_interest]
//   the contract   underlying, expiry YYYY-MM-DD, strike (decimal), right C|P|call|put: a configured
//                  option instrument (from [[option_chains]] or an [[instruments]] option)
//   bid..ask_size  the contract's best bid and ask now; an empty or 0 price or size: no quote on that side
//   last,last_size a trade at ts (both given), or both empty
//   open_interest  contracts open now, or empty (unchanged)
// Each row becomes the level changes from the contract's previous quote, then its trade, then an
// open-interest tick when it changed. Columns are found by header name.

export const OPTION_QUOTE_COLUMNS = ['ts', 'underlying', 'expiry', 'strike', 'right', 'bid', 'bid_size', 'ask', 'ask_size'] as const;
export const OPTION_QUOTE_OPTIONAL = ['last', 'last_size', 'open_interest'] as const;
type Column = (typeof OPTION_QUOTE_COLUMNS)[number] | (typeof OPTION_QUOTE_OPTIONAL)[number];

const RIGHTS: Record<string, 'call' | 'put'> = { c: 'call', call: 'call', p: 'put', put: 'put' };

export function isOptionQuotesHeader(fields: string[]): boolean {
  const names = fields.map((f) => f.trim().toLowerCase());
  return OPTION_QUOTE_COLUMNS.every((c) => names.includes(c));
}

interface Level {
  price: number;
  qty: number;
}

/** What the feed last said about one contract. */
interface ContractState {
  bid: Level | null;
  ask: Level | null;
  openInterest: number;
}

export class OptionQuotesRowParser implements RowParser {
  readonly headerLines = 1;
  private readonly col: Record<Column, number>;
  private readonly width: number;
  private readonly t: Instant = { sec: 0, nsec: 0 };
  /** "AAPL|2026-03-06|18750|call" -> instrument index, the strike in the underlying's units. */
  private readonly contracts = new Map<string, number>();
  private readonly underlyingDecimals = new Map<string, number>();
  private readonly state = new Map<number, ContractState>();

  constructor(
    header: string[],
    private readonly instruments: ReplayInstruments,
  ) {
    const names = header.map((f) => f.trim().toLowerCase());
    this.col = Object.fromEntries([...OPTION_QUOTE_COLUMNS, ...OPTION_QUOTE_OPTIONAL].map((c) => [c, names.indexOf(c)])) as Record<Column, number>;
    this.width = header.length;
    instruments.list.forEach((inst, sym) => {
      const o = inst.option;
      if (!o) return;
      this.contracts.set(`${o.underlying}|${o.expiry}|${o.strikeUnits}|${o.right}`, sym);
      const u = instruments.indexOf(o.underlying);
      if (u !== undefined) this.underlyingDecimals.set(o.underlying, instruments.list[u]!.priceDecimals);
    });
  }

  private field(rec: string[], c: Column): string {
    const i = this.col[c];
    return i < 0 ? '' : rec[i]!.trim();
  }

  parse(rec: string[], out: RawTick[]): RowError | null {
    if (rec.length !== this.width) {
      return rowError('wrong_column_count', rec.length === 1 && rec[0] === '' ? 'empty line' : `${rec.length} columns, header has ${this.width}`);
    }
    const ts = this.field(rec, 'ts');
    if (!parseEpochNs(ts, this.t) && !parseIso(ts, this.t)) return rowError('bad_timestamp', `ts ${quoteValue(ts)} is neither epoch ns nor ISO 8601`);
    const sym = this.contract(rec);
    if (typeof sym !== 'number') return sym;
    const inst = this.instruments.list[sym]!;
    // Everything is parsed before the contract's state changes: a refused row changes nothing.
    const bid = this.level(rec, 'bid', 'bid_size', inst);
    if (bid !== null && 'reason' in bid) return bid;
    const ask = this.level(rec, 'ask', 'ask_size', inst);
    if (ask !== null && 'reason' in ask) return ask;
    if (bid && ask && bid.price >= ask.price) return rowError('crossed_quote', `bid ${this.field(rec, 'bid')} is not below ask ${this.field(rec, 'ask')}`);
    const trade = this.trade(rec, inst);
    if (trade !== null && 'reason' in trade) return trade;
    let oi = -1;
    const oiText = this.field(rec, 'open_interest');
    if (oiText !== '') {
      const q = qtyField(oiText, inst);
      if (typeof q !== 'number') return { reason: q.reason, detail: `open_interest: ${q.detail}` };
      oi = q;
    }

    let s = this.state.get(sym);
    if (!s) this.state.set(sym, (s = { bid: null, ask: null, openInterest: -1 }));
    const push = (kind: RawTick['kind'], aggressor: Aggressor, priceUnits: number, qtyUnits: number): void => {
      out.push({ sec: this.t.sec, nsec: this.t.nsec, sym, kind, aggressor, priceUnits, qtyUnits, more: true });
    };
    for (const [kind, was, now] of [
      [TickKind.Bid, s.bid, bid],
      [TickKind.Ask, s.ask, ask],
    ] as const) {
      if (was && (!now || now.price !== was.price)) push(kind, Aggressor.Unknown, was.price, 0);
      if (now && (!was || now.price !== was.price || now.qty !== was.qty)) push(kind, Aggressor.Unknown, now.price, now.qty);
    }
    s.bid = bid;
    s.ask = ask;
    if (trade) {
      // The quote rule: at or through the ask a buyer took it, at or through the bid a seller.
      const aggressor = ask && trade.price >= ask.price ? Aggressor.Buyer : bid && trade.price <= bid.price ? Aggressor.Seller : Aggressor.Unknown;
      push(TickKind.Trade, aggressor, trade.price, trade.qty);
    }
    if (oi >= 0 && oi !== s.openInterest) {
      s.openInterest = oi;
      push(TickKind.OpenInterest, Aggressor.Unknown, 0, oi);
    }
    // One book snapshot per row: only the row's last tick lets it go out.
    if (out.length > 0) out[out.length - 1]!.more = false;
    return null;
  }

  private contract(rec: string[]): number | RowError {
    const underlying = this.field(rec, 'underlying');
    const expiry = this.field(rec, 'expiry');
    const strike = this.field(rec, 'strike');
    const rightText = this.field(rec, 'right');
    const right = RIGHTS[rightText.toLowerCase()];
    if (!right) return rowError('unknown_contract', `right ${quoteValue(rightText)} is not C|P|call|put`);
    const decimals = this.underlyingDecimals.get(underlying);
    if (decimals === undefined) return rowError('unknown_contract', `no option on ${quoteValue(underlying)} is configured ([[option_chains]] or an [[instruments]] option)`);
    const k = parseUnits(strike, decimals);
    if (!(k > 0)) return rowError('unknown_contract', `strike ${quoteValue(strike)} is not a positive decimal with at most ${decimals} places`);
    const sym = this.contracts.get(`${underlying}|${expiry}|${k}|${right}`);
    if (sym === undefined) return rowError('unknown_contract', `${underlying} ${quoteValue(expiry)} ${strike} ${right} is not a configured contract`);
    return sym;
  }

  private level(rec: string[], priceCol: Column, sizeCol: Column, inst: Instrument): Level | RowError | null {
    const p = this.field(rec, priceCol);
    const q = this.field(rec, sizeCol);
    if (p === '' || q === '' || /^0*(\.0*)?$/.test(p) || /^0*(\.0*)?$/.test(q)) return null;
    const price = priceField(p, inst);
    if (typeof price !== 'number') return { reason: price.reason, detail: `${priceCol}: ${price.detail}` };
    const qty = qtyField(q, inst);
    if (typeof qty !== 'number') return { reason: qty.reason, detail: `${sizeCol}: ${qty.detail}` };
    return { price, qty };
  }

  private trade(rec: string[], inst: Instrument): Level | RowError | null {
    const p = this.field(rec, 'last');
    const q = this.field(rec, 'last_size');
    if (p === '' && q === '') return null;
    if (p === '' || q === '') return rowError('zero_trade_qty', `a trade needs both last and last_size (got ${quoteValue(p)}, ${quoteValue(q)})`);
    const price = priceField(p, inst);
    if (typeof price !== 'number') return { reason: price.reason, detail: `last: ${price.detail}` };
    const qty = qtyField(q, inst);
    if (typeof qty !== 'number') return { reason: qty.reason, detail: `last_size: ${qty.detail}` };
    if (qty === 0) return rowError('zero_trade_qty', 'a trade needs last_size > 0');
    return { price, qty };
  }
}
