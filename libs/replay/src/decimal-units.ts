// Exact decimal-string -> integer units, without going through a float: "187.25" at 2 decimals is
// 18725. Prices compare as integers from here on.

import { quoteValue } from './quote-value.js';

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

/**
 * Units of `s` at `decimals` places, or NaN when `s` is not a plain decimal number or has non-zero
 * digits beyond `decimals` (use `unitsProblem` to say which). Exponent notation falls back to Number().
 */
export function parseUnits(s: string, decimals: number): number {
  const n = s.length;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === MINUS || c0 === PLUS) {
    neg = c0 === MINUS;
    i = 1;
  }
  let units = 0;
  let digits = 0;
  let frac = -1; // digits seen after the dot; -1 = no dot yet
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      if (frac >= 0) {
        if (frac >= decimals) {
          if (c !== ZERO) return Number.NaN;
          continue;
        }
        frac++;
      }
      units = units * 10 + (c - ZERO);
      digits++;
    } else if (c === DOT && frac < 0) {
      frac = 0;
    } else {
      return slowUnits(s, decimals);
    }
  }
  if (digits === 0) return Number.NaN;
  for (let k = frac < 0 ? 0 : frac; k < decimals; k++) units *= 10;
  if (units > Number.MAX_SAFE_INTEGER) return Number.NaN;
  return neg ? -units : units;
}

function slowUnits(s: string, decimals: number): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v)) return Number.NaN;
  const scaled = v * 10 ** decimals;
  const r = Math.round(scaled);
  return Math.abs(scaled - r) <= 1e-6 * Math.max(1, Math.abs(r)) && Math.abs(r) <= Number.MAX_SAFE_INTEGER ? r : Number.NaN;
}

/** Why `parseUnits` refused `s` (error path only): not a number, finer than `decimals`, or too large. */
export function unitsProblem(s: string, decimals: number): { kind: 'not_a_number' | 'too_precise' | 'out_of_range'; detail: string } {
  const v = Number(s);
  const decimal = /^[+-]?(\d+\.?\d*|\.\d+)$/.test(s);
  if (!decimal && (s.trim() === '' || !Number.isFinite(v))) return { kind: 'not_a_number', detail: `${quoteValue(s)} is not a number` };
  if (!Number.isFinite(v) || Math.abs(v) * 10 ** decimals > Number.MAX_SAFE_INTEGER) return { kind: 'out_of_range', detail: `${quoteValue(s)} is out of range` };
  return { kind: 'too_precise', detail: `${quoteValue(s)} has more than ${decimals} decimals` };
}
