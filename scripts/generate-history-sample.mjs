#!/usr/bin/env node
// Writes data/history/minutes-2026-02.csv: 1-minute OHLCV bars of the five trading days before the
// sample replay (2026-02-23..27 for the shares, 24/7 2026-02-25..03-01 for BTC-USDT), ending at the
// prices the replay opens with, so the scanner has earlier days to compare with. Deterministic.
//   node scripts/generate-history-sample.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalFrom, seededRandom } from './seeded-random.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'data', 'history', 'minutes-2026-02.csv');
const rand = seededRandom(20260227);
const normal = normalFrom(rand);

// [symbol, the replay's first price, per-minute vol, price decimals, tick, volume per minute, qty decimals]
const SHARES = [
  ['AAPL', 187.4, 0.0007, 2, 0.01, 9000, 0],
  ['MSFT', 412.1, 0.0006, 2, 0.01, 5000, 0],
  ['NVDA', 118.3, 0.0011, 2, 0.01, 30000, 0],
];
const CRYPTO = [['BTC-USDT', 68246.72, 0.0008, 2, 0.01, 12, 5]];

const minutesOf = (days, openUtc, count) => days.flatMap((d) => Array.from({ length: count }, (_, i) => Date.UTC(2026, d[0], d[1], openUtc[0], openUtc[1]) + i * 60_000));
// New York 09:30-16:00 is 14:30-21:00 UTC in February (EST).
const shareMinutes = minutesOf([[1, 23], [1, 24], [1, 25], [1, 26], [1, 27]], [14, 30], 390);
const cryptoMinutes = minutesOf([[1, 25], [1, 26], [1, 27], [1, 28], [2, 1]], [0, 0], 1440);

const rows = ['ts,symbol,open,high,low,close,volume,trades'];
for (const [[sym, last, vol, dec, tick, volume, qdec], minutes] of [...SHARES.map((s) => [s, shareMinutes]), ...CRYPTO.map((s) => [s, cryptoMinutes])]) {
  // A walk backwards from the replay's first price, so the history ends where the replay begins.
  const closes = new Array(minutes.length);
  let p = last * (1 + vol * normal());
  for (let i = minutes.length - 1; i >= 0; i--) {
    closes[i] = p;
    p *= Math.exp(vol * normal());
  }
  const round = (x) => Math.round(x / tick) * tick;
  for (let i = 0; i < minutes.length; i++) {
    const close = closes[i];
    const open = i === 0 ? close * (1 + vol * normal()) : closes[i - 1];
    const high = Math.max(open, close) * (1 + Math.abs(vol * normal()) / 2);
    const low = Math.min(open, close) * (1 - Math.abs(vol * normal()) / 2);
    // Busier at the open and the close of the session (the U of intraday volume).
    const k = (i % 390) / 390;
    const q = volume * (0.6 + 1.6 * (k - 0.5) ** 2 * 4) * (0.5 + rand());
    const qty = qdec ? q.toFixed(qdec) : String(Math.max(1, Math.round(q)));
    const f = (x) => round(x).toFixed(dec);
    const [o, h, l, c] = [f(open), f(high), f(low), f(close)];
    const hi = Math.max(+o, +h, +c).toFixed(dec);
    const lo = Math.min(+o, +l, +c).toFixed(dec);
    rows.push(`${new Date(minutes[i]).toISOString().replace('.000Z', 'Z')},${sym},${o},${hi},${lo},${c},${qty},${1 + Math.floor(rand() * 60)}`);
  }
}
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${rows.join('\n')}\n`);
console.log(`${out}: ${rows.length - 1} bars`);
