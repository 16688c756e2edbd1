// Options: full greeks/s and implied-vol solves/s for a 200-strike chain through the binding (one
// call per chain), against a straightforward TypeScript pricer in this process and against the
// `implied-vol` crate called from Rust in the same run (cargo example option_rates).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OptionBatch } from '../src/index.js';
import { timeIt } from './time-it.js';
import { tsGreeks, tsImpliedVol } from './ts-options.js';

const STRIKES = 200;

/** Calls per second of `fn`, from the median of 5 timed rounds of `n` calls (after a warm-up round). */
function callsPerSec(fn: () => void, n: number): number {
  const ns = timeIt(5, () => {}, () => {
    for (let i = 0; i < n; i++) fn();
  });
  return (n * 1e9) / ns;
}

export interface OptionBenchResult {
  greeksPerSecBinding: number;
  greeksPerSecTypeScript: number;
  ivPerSecBinding: number;
  ivPerSecTypeScript: number;
  ivPerSecCrateFromRust: number | null;
  greeksPerSecCoreFromRust: number | null;
}

export function optionBench(): OptionBenchResult {
  // The same chain as the Rust example: strikes 50%-150% of spot, calls and puts alternating, 3 months, a smile.
  const strikes = Array.from({ length: STRIKES }, (_, i) => 50 + i * 0.5);
  const vols = strikes.map((k) => 0.2 + 0.3 * ((k - 100) / 100) ** 2);
  const pricing = new OptionBatch(STRIKES);
  strikes.forEach((k, i) => pricing.add({ model: 'bsm', right: i % 2 ? 'put' : 'call', underlying: 100, strike: k, years: 0.25, rate: 0.03, dividend: 0.01, value: vols[i]! }));
  pricing.priceGreeks();
  const prices = strikes.map((_, i) => pricing.greeksOf(i).price);
  const solving = new OptionBatch(STRIKES);
  strikes.forEach((k, i) => solving.add({ model: 'bsm', right: i % 2 ? 'put' : 'call', underlying: 100, strike: k, years: 0.25, rate: 0.03, dividend: 0.01, value: prices[i]! }));

  let sink = 0;
  const greeksBinding = callsPerSec(() => void pricing.priceGreeks(), 2000) * STRIKES;
  const ivBinding = callsPerSec(() => void solving.impliedVols(), 2000) * STRIKES;
  const greeksTs = callsPerSec(() => {
    for (let i = 0; i < STRIKES; i++) sink += tsGreeks(i % 2 === 0, 100, strikes[i]!, 0.25, 0.03, 0.01, vols[i]!).delta;
  }, 500) * STRIKES;
  const ivTs = callsPerSec(() => {
    for (let i = 0; i < STRIKES; i++) sink += tsImpliedVol(i % 2 === 0, 100, strikes[i]!, 0.25, 0.03, 0.01, prices[i]!);
  }, 100) * STRIKES;
  if (sink === 42) console.log('');

  interface RustRates {
    crateIvPerSec: number;
    coreGreeksPerSec: number;
  }
  let rust: RustRates | null = null;
  try {
    const manifest = fileURLToPath(new URL('../../Cargo.toml', import.meta.url));
    rust = JSON.parse(execFileSync('cargo', ['run', '-q', '--release', '--manifest-path', manifest, '--example', 'option_rates'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim()) as RustRates;
  } catch (e) {
    console.error(`  (the Rust-side rates could not be measured: ${(e as Error).message})`);
  }
  return {
    greeksPerSecBinding: Math.round(greeksBinding),
    greeksPerSecTypeScript: Math.round(greeksTs),
    ivPerSecBinding: Math.round(ivBinding),
    ivPerSecTypeScript: Math.round(ivTs),
    ivPerSecCrateFromRust: (rust as RustRates | null)?.crateIvPerSec ?? null,
    greeksPerSecCoreFromRust: (rust as RustRates | null)?.coreGreeksPerSec ?? null,
  };
}
