#!/usr/bin/env node
// Generates data/aapl_options.csv, the sample option chain on AAPL, and data/vix.csv, the volatility
// index it is compared with (deterministic: same seed, same bytes). Needs the native crate built
// (`npx nx run native:build`): quotes are priced with it.
//
//   node scripts/generate-option-chain.mjs [--underlying data/market_data.csv] [--out data/aapl_options.csv] [--vix-out data/vix.csv] [--seed 20260302]
//
// The contracts are the [[option_chains]] entry of config/platform.toml (2 expiries x 40 strikes x
// call/put). The underlying path is AAPL's trades in the underlying file, so the chain moves with
// its own underlying. Each contract's theoretical value is Black-Scholes-Merton (r 4%, q 0.5%,
// ACT/365 calendar time to the 16:00 New York expiry) on a smile
//   vol(k) = atm + skew * k + curvature * k^2,  k = ln(K / F)
// whose ATM level drifts slowly; quotes are the theo +- a half-spread that widens with price, on the
// penny grid, re-quoted (checked every 250 ms) when the value moved by a quarter of the half-spread. Trades arrive as a Poisson process
// that is busiest at the money and print at the bid or the ask. Open interest starts peaked at the
// money with walls at round strikes, and is republished every minute as trades open and close
// positions.
//
// The index prints once a second: a level that follows the chain's ATM drift (scaled down: an index
// is less volatile than one stock) plus noise, with one episode where the index alone jumps by 3.2
// points for a minute and a half. The VIX-divergence signal fires on it: iv_cheap as the index
// rises, iv_rich as it falls back.

import { writeFileSync, readFileSync } from 'node:fs';
import { OptionBatch } from '../native/dist/src/index.js';
import { normalFrom, seededRandom } from './seeded-random.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const UNDERLYING_FILE = args.underlying ?? 'data/market_data.csv';
const OUT = args.out ?? 'data/aapl_options.csv';
const VIX_OUT = args['vix-out'] ?? 'data/vix.csv';
const SEED = Number(args.seed ?? 20260302);

const EXPIRIES = [
  { date: '2026-03-06', atMs: Date.parse('2026-03-06T21:00:00Z'), atm: 0.27, skew: -0.32, curvature: 1.6 },
  { date: '2026-03-20', atMs: Date.parse('2026-03-20T20:00:00Z'), atm: 0.245, skew: -0.22, curvature: 0.9 },
];
const STRIKES = Array.from({ length: 40 }, (_, i) => 14000 + 250 * i); // 140.00 .. 237.50, in cents
const RATE = 0.04;
const DIVIDEND = 0.005;
const YEAR_MS = 365 * 86_400_000;
const STEP_NS = 250_000_000n;

const rand = seededRandom(SEED);
const normal = normalFrom(rand);
const logNormalSize = (median, sigma, max) => Math.max(1, Math.min(max, Math.round(median * Math.exp(sigma * normal()))));

// The underlying path: AAPL's last trade price at each time.
const path = [];
for (const line of readFileSync(UNDERLYING_FILE, 'utf8').split('\n')) {
  const f = line.split(',');
  if (f[1] === 'AAPL' && f[2] === 'trade') path.push([BigInt(f[0]), Number(f[4])]);
}
if (path.length === 0) throw new Error(`${UNDERLYING_FILE} has no AAPL trades`);
const start = path[0][0] - (path[0][0] % 1_000_000_000n);
const end = path[path.length - 1][0];

const contracts = [];
for (const e of EXPIRIES) {
  for (const k of STRIKES) {
    for (const right of ['call', 'put']) {
      const strike = k / 100;
      const round = k % 1000 === 0 ? 2.2 : k % 500 === 0 ? 1.4 : 1;
      // Walls: calls pile up above the money at 200, puts below at 175.
      const wall = right === 'call' && k === 20000 ? 3 : right === 'put' && k === 17500 ? 3 : 1;
      const peak = Math.exp(-(((strike - 187.5) / 18) ** 2));
      contracts.push({
        expiry: e,
        strike,
        right,
        bid: 0,
        bidSize: 0,
        ask: 0,
        askSize: 0,
        oi: Math.round((e.date === '2026-03-06' ? 4000 : 9000) * (0.08 + peak) * round * wall * (0.8 + 0.4 * rand())),
        oiPublished: -1,
        theo: 0,
        tradeRate: 0.05 * Math.exp(-Math.abs(Math.log(strike / 187.5)) * 14),
      });
    }
  }
}

const rows = [];
const fmt = (cents) => (cents / 100).toFixed(2);
const batch = new OptionBatch(contracts.length);
let pi = 0;
let atmDrift = 0;
const drifts = [];
for (let t = start; t <= end; t += STEP_NS) {
  while (pi + 1 < path.length && path[pi + 1][0] <= t) pi++;
  const spot = path[pi][1];
  const tMs = Number(t / 1_000_000n);
  atmDrift += 0.0004 * normal();
  drifts.push([t, atmDrift]);
  batch.clear();
  for (const c of contracts) {
    const years = (c.expiry.atMs - tMs) / YEAR_MS;
    const forward = spot * Math.exp((RATE - DIVIDEND) * years);
    const m = Math.log(c.strike / forward);
    const vol = Math.min(1.5, Math.max(0.08, c.expiry.atm + atmDrift + c.expiry.skew * m + c.expiry.curvature * m * m));
    batch.add({ model: 'bsm', right: c.right, underlying: spot, strike: c.strike, years, rate: RATE, dividend: DIVIDEND, value: vol });
  }
  batch.priceGreeks();
  const minute = (t - start) % 60_000_000_000n === 0n;
  contracts.forEach((c, i) => {
    let theo = batch.greeksOf(i).price;
    const half = Math.min(0.25, Math.max(0.01, 0.005 + 0.012 * theo));
    // Market makers re-quote when the value has moved by a quarter of their half-spread, not on every cent.
    if (c.oiPublished >= 0 && Math.abs(theo - c.theo) < Math.max(0.01, half / 4)) theo = c.theo;
    else c.theo = theo;
    const ask = Math.max(1, Math.ceil((theo + half) * 100 - 1e-9));
    const bid = Math.floor((theo - half) * 100 + 1e-9);
    const refresh = rand() < 0.01;
    const quote = { bid: bid > 0 ? bid : 0, ask };
    const changed = quote.bid !== c.bid || quote.ask !== c.ask || refresh || c.oiPublished < 0;
    let trade = null;
    if (rand() < c.tradeRate * 0.25) {
      const buyer = rand() < 0.5;
      const px = buyer ? quote.ask : quote.bid;
      if (px > 0) {
        const size = logNormalSize(5, 1.0, 250);
        trade = { px, size };
        // A trade opens new positions a bit more often than it closes old ones.
        c.oi = Math.max(0, c.oi + (rand() < 0.6 ? size : -size));
      }
    }
    const publishOi = c.oiPublished < 0 || (minute && c.oi !== c.oiPublished);
    if (!changed && !trade && !publishOi) return;
    if (quote.bid !== c.bid || refresh || c.oiPublished < 0) c.bidSize = quote.bid > 0 ? logNormalSize(40, 0.8, 900) : 0;
    if (quote.ask !== c.ask || refresh || c.oiPublished < 0) c.askSize = logNormalSize(40, 0.8, 900);
    c.bid = quote.bid;
    c.ask = quote.ask;
    // Rows of one step are spread over its 250 ms so contracts do not all update at one instant.
    const ts = t + BigInt(Math.floor(rand() * 249_000_000));
    rows.push([
      ts,
      `${ts},AAPL,${c.expiry.date},${c.strike},${c.right === 'call' ? 'C' : 'P'},${c.bid > 0 ? fmt(c.bid) : ''},${c.bid > 0 ? c.bidSize : ''},${fmt(c.ask)},${c.askSize},${trade ? fmt(trade.px) : ''},${trade ? trade.size : ''},${publishOi ? c.oi : ''}`,
    ]);
    if (publishOi) c.oiPublished = c.oi;
  });
}
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
const header = 'ts,underlying,expiry,strike,right,bid,bid_size,ask,ask_size,last,last_size,open_interest';
writeFileSync(OUT, [header, ...rows.map((r) => r[1])].join('\n') + '\n');
console.log(`${OUT}: ${rows.length} rows, ${contracts.length} contracts, ${rows.filter((r) => /,\d+\.\d\d,\d+,(\d+)?$/.test(r[1]) && r[1].split(',')[10] !== '').length} trades`);

// The volatility index, from its own random stream so the chain's bytes do not depend on it.
const vixRand = seededRandom(SEED + 1);
const vixNormal = normalFrom(vixRand);
const episode = (s) => 3.2 * Math.min(1, Math.max(0, (s - 150) / 10)) * Math.min(1, Math.max(0, (250 - s) / 10));
const vixRows = [];
for (const [t, drift] of drifts) {
  if ((t - start) % 1_000_000_000n !== 0n) continue;
  const s = Number((t - start) / 1_000_000_000n);
  const level = 17.2 + 85 * drift + 0.03 * vixNormal() + episode(s);
  vixRows.push(`${t + 500_000_000n},VIX,trade,,${level.toFixed(2)},1`);
}
writeFileSync(VIX_OUT, ['ts,symbol,type,side,price,qty', ...vixRows].join('\n') + '\n');
console.log(`${VIX_OUT}: ${vixRows.length} index prints`);
