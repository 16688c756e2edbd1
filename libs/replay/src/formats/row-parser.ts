import type { Instrument } from '@hft/config';
import { parseUnits, unitsProblem } from '../decimal-units.js';
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
  if (Number.isNaN(u)) return rowError('non_numeric_price', `price ${unitsProblem(s, inst.priceDecimals)}`);
  if (u <= 0) return rowError('non_positive_price', `price ${s} must be > 0`);
  if (u % inst.tickUnits !== 0) return rowError('off_tick', `price ${s} is not a multiple of the ${inst.symbol} tick`);
  return u;
}

/** Quantity in units: >= 0 and on the lot grid. */
export function qtyField(s: string, inst: Instrument): number | RowError {
  const u = parseUnits(s, inst.qtyDecimals);
  if (Number.isNaN(u)) return rowError('non_numeric_qty', `qty ${unitsProblem(s, inst.qtyDecimals)}`);
  if (u < 0) return rowError('negative_qty', `qty ${s} is negative`);
  if (u % inst.lotUnits !== 0) return rowError('off_lot', `qty ${s} is not a multiple of the ${inst.symbol} lot`);
  return u;
}
