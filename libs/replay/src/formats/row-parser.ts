import type { Instrument } from '@hft/config';
import { parseUnits, unitsProblem } from '../decimal-units.js';
import { quoteValue } from '../quote-value.js';
import type { RawTick, RowError } from '../raw-tick.js';

/** Turns one CSV record into 0..n ticks, or says why the row is refused. */
export interface RowParser {
  /** Header lines at the top of the file, skipped before parsing. */
  readonly headerLines: number;
  parse(rec: string[], out: RawTick[]): RowError | null;
}

export function rowError(reason: RowError['reason'], detail: string): RowError {
  return { reason, detail };
}

/** Price in units: positive and on the tick grid. Returns a RowError instead when it is not. */
export function priceField(s: string, inst: Instrument): number | RowError {
  const u = parseUnits(s, inst.priceDecimals);
  if (Number.isNaN(u)) {
    const why = unitsProblem(s, inst.priceDecimals);
    return rowError(why.kind === 'not_a_number' ? 'non_numeric_price' : why.kind === 'too_precise' ? 'off_tick' : 'out_of_range', `price ${why.detail}${why.kind === 'too_precise' ? ` (the ${inst.symbol} tick is ${unitsToText(inst.tickUnits, inst.priceDecimals)})` : ''}`);
  }
  if (u <= 0) return rowError('non_positive_price', `price ${quoteValue(s)} must be > 0`);
  if (u % inst.tickUnits !== 0) return rowError('off_tick', `price ${quoteValue(s)} is not a multiple of the ${inst.symbol} tick ${unitsToText(inst.tickUnits, inst.priceDecimals)}`);
  return u;
}

/** Quantity in units: >= 0 and on the lot grid. */
export function qtyField(s: string, inst: Instrument): number | RowError {
  const u = parseUnits(s, inst.qtyDecimals);
  if (Number.isNaN(u)) {
    const why = unitsProblem(s, inst.qtyDecimals);
    return rowError(why.kind === 'not_a_number' ? 'non_numeric_qty' : why.kind === 'too_precise' ? 'off_lot' : 'out_of_range', `qty ${why.detail}${why.kind === 'too_precise' ? ` (the ${inst.symbol} lot is ${unitsToText(inst.lotUnits, inst.qtyDecimals)})` : ''}`);
  }
  if (u < 0) return rowError('negative_qty', `qty ${quoteValue(s)} is negative`);
  if (u % inst.lotUnits !== 0) return rowError('off_lot', `qty ${quoteValue(s)} is not a multiple of the ${inst.symbol} lot ${unitsToText(inst.lotUnits, inst.qtyDecimals)}`);
  return u;
}

/** Integer units as a decimal string ("0.01"), for messages. */
function unitsToText(units: number, decimals: number): string {
  if (decimals === 0) return String(units);
  const s = String(units).padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}
