import { GREEKS_STRIDE, IV_INPUT_STRIDE, impliedVolBatch, OPTION_INPUT_STRIDE, optionCodes, optionGreeksBatch } from '#binding';

export type OptionModel = 'bsm' | 'black76';
export type OptionRight = 'call' | 'put';

/** One option row: spot (BSM, with continuous dividend yield) or forward (Black-76), years to expiry, continuous rates. */
export interface OptionRow {
  model: OptionModel;
  right: OptionRight;
  underlying: number;
  strike: number;
  years: number;
  rate: number;
  dividend: number;
  /** Volatility for pricing, or the option's market price for implied vol. */
  value: number;
}

export interface OptionGreeks {
  price: number;
  delta: number;
  gamma: number;
  /** Per year of calendar time (the change as time passes). */
  theta: number;
  vega: number;
  rho: number;
  vanna: number;
  charm: number;
  vomma: number;
  thetaDay: number;
}

export const GREEK_NAMES = ['price', 'delta', 'gamma', 'theta', 'vega', 'rho', 'vanna', 'charm', 'vomma', 'thetaDay'] as const satisfies readonly (keyof OptionGreeks)[];

const CODE_NAMES = new Map(optionCodes().map((c) => [c.code, c.name]));
/** Name of a per-row option code (`OK`, `BELOW_INTRINSIC`, ...). */
export const optionCodeName = (code: number): string => CODE_NAMES.get(code) ?? `UNKNOWN_${code}`;

/**
 * A whole chain priced or solved in one native call: rows are written into reused typed arrays, the
 * results and per-row codes read back from them (no allocation per row or per call).
 */
export class OptionBatch {
  readonly input: Float64Array;
  readonly greeks: Float64Array;
  readonly vols: Float64Array;
  readonly codes: Uint8Array;
  size = 0;

  constructor(readonly capacity: number) {
    this.input = new Float64Array(capacity * OPTION_INPUT_STRIDE);
    this.greeks = new Float64Array(capacity * GREEKS_STRIDE);
    this.vols = new Float64Array(capacity);
    this.codes = new Uint8Array(capacity);
  }

  clear(): this {
    this.size = 0;
    return this;
  }

  /** Append a row; `value` is the vol (for `priceGreeks`) or the market price (for `impliedVols`). */
  add(r: OptionRow): number {
    if (this.size >= this.capacity) throw new RangeError(`option batch is full (${this.capacity} rows)`);
    const i = this.size++;
    const o = i * OPTION_INPUT_STRIDE;
    const x = this.input;
    x[o] = r.model === 'black76' ? 1 : 0;
    x[o + 1] = r.right === 'put' ? 1 : 0;
    x[o + 2] = r.underlying;
    x[o + 3] = r.strike;
    x[o + 4] = r.years;
    x[o + 5] = r.rate;
    x[o + 6] = r.dividend;
    x[o + 7] = r.value;
    return i;
  }

  /** Replace row i's `value` (e.g. its implied vol, to price the greeks at it). */
  setValue(i: number, value: number): void {
    if (i < 0 || i >= this.size) throw new RangeError(`row ${i} is not in the batch (${this.size} rows)`);
    this.input[i * OPTION_INPUT_STRIDE + 7] = value;
  }

  /** Price and greeks of every row; returns how many priced OK (the rest have codes). */
  priceGreeks(): number {
    return optionGreeksBatch(this.input.subarray(0, this.size * OPTION_INPUT_STRIDE), this.greeks.subarray(0, this.size * GREEKS_STRIDE), this.codes.subarray(0, this.size));
  }

  /** Implied vol of every row (its `value` is the price); returns how many solved. */
  impliedVols(): number {
    return impliedVolBatch(this.input.subarray(0, this.size * IV_INPUT_STRIDE), this.vols.subarray(0, this.size), this.codes.subarray(0, this.size));
  }

  greeksOf(i: number): OptionGreeks {
    const g = this.greeks.subarray(i * GREEKS_STRIDE, (i + 1) * GREEKS_STRIDE);
    return { price: g[0]!, delta: g[1]!, gamma: g[2]!, theta: g[3]!, vega: g[4]!, rho: g[5]!, vanna: g[6]!, charm: g[7]!, vomma: g[8]!, thetaDay: g[9]! };
  }
}
