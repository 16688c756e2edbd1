// A straightforward TypeScript BSM pricer and Newton implied-vol solver: the baseline the native
// option bench compares against (what one would write without the native core).
import type { OptionGreeks } from '../src/index.js';

/** erfc by Numerical Recipes' Chebyshev fit (relative error < 1.2e-7): what a quick pricer uses. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

const cdf = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);
const pdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** The first-order greeks a quick pricer computes (a subset of the native core's). */
export type TsGreeks = Pick<OptionGreeks, 'price' | 'delta' | 'gamma' | 'theta' | 'vega' | 'rho'>;

export function tsGreeks(call: boolean, s: number, k: number, t: number, r: number, q: number, v: number): TsGreeks {
  const sd = v * Math.sqrt(t);
  const d1 = (Math.log(s / k) + (r - q + 0.5 * v * v) * t) / sd;
  const d2 = d1 - sd;
  const dq = Math.exp(-q * t);
  const dr = Math.exp(-r * t);
  const n1 = pdf(d1);
  if (call) {
    const price = s * dq * cdf(d1) - k * dr * cdf(d2);
    return { price, delta: dq * cdf(d1), gamma: (dq * n1) / (s * sd), theta: (-s * dq * n1 * v) / (2 * Math.sqrt(t)) - r * k * dr * cdf(d2) + q * s * dq * cdf(d1), vega: s * dq * n1 * Math.sqrt(t), rho: k * t * dr * cdf(d2) };
  }
  const price = k * dr * cdf(-d2) - s * dq * cdf(-d1);
  return { price, delta: -dq * cdf(-d1), gamma: (dq * n1) / (s * sd), theta: (-s * dq * n1 * v) / (2 * Math.sqrt(t)) + r * k * dr * cdf(-d2) - q * s * dq * cdf(-d1), vega: s * dq * n1 * Math.sqrt(t), rho: -k * t * dr * cdf(-d2) };
}

/** Newton-Raphson on vega from 20%, bisection when a step leaves the bracket; NaN when it does not converge. */
export function tsImpliedVol(call: boolean, s: number, k: number, t: number, r: number, q: number, price: number): number {
  let lo = 1e-4;
  let hi = 5;
  let v = 0.2;
  for (let i = 0; i < 100; i++) {
    const g = tsGreeks(call, s, k, t, r, q, v);
    const diff = g.price - price;
    if (Math.abs(diff) < 1e-10 * Math.max(1, price)) return v;
    if (diff > 0) hi = v;
    else lo = v;
    const next = v - diff / g.vega;
    v = next > lo && next < hi && Number.isFinite(next) ? next : 0.5 * (lo + hi);
  }
  return Number.NaN;
}
