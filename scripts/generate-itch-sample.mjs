#!/usr/bin/env node
// Generates the committed NASDAQ TotalView-ITCH 5.0 sample (deterministic: same seed, same bytes).
//
//   node scripts/generate-itch-sample.mjs [--out data/itch] [--seconds 60] [--seed 20260302] [--rate 150]
//
// A file as NASDAQ distributes them (`MMDDYYYY.NASDAQ_ITCH50`: 2-byte big-endian length, then the
// message), for 2026-03-02 from the system start to one minute after the 09:30 New York open:
// system events, a stock directory (AAPL, MSFT, NVDA and the test symbol ZVZZT, which the config does
// not list), trading actions, an opening cross per stock, then order flow with every order message
// type (A, F, E, C printable and not, X, D, U), non-displayed trades (P), broken trades (B) and a few
// types the book ignores (Y, L, I). Orders never cross: adds rest behind the opposite touch and
// executions take the touch oldest first, so the file is a valid book everywhere.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from './seeded-random.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const OUT = args.out ?? 'data/itch';
const SECONDS = Number(args.seconds ?? 60);
const SEED = Number(args.seed ?? 20260302);
const RATE = Number(args.rate ?? 150);
const NAME = '03022026.NASDAQ_ITCH50';

const rand = seededRandom(SEED);
const expo = (mean) => -Math.log(1 - rand()) * mean;
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const NS = 1_000_000_000n;
const OPEN = 34_200n * NS; // 09:30:00 after midnight, New York

const STOCKS = [
  { symbol: 'AAPL', locate: 1, mid: 18740 },
  { symbol: 'MSFT', locate: 2, mid: 41225 },
  { symbol: 'NVDA', locate: 3, mid: 13310 },
  { symbol: 'ZVZZT', locate: 4, mid: 1000 },
];

const chunks = [];
let tracking = 0;
function message(type, locate, ts, body) {
  const b = Buffer.alloc(11 + body.length);
  b.write(type, 0, 'latin1');
  b.writeUInt16BE(locate, 1);
  b.writeUInt16BE(tracking++ & 0xffff, 3);
  b.writeUIntBE(Number(ts / 65536n), 5, 4);
  b.writeUInt16BE(Number(ts % 65536n), 9);
  body.copy(b, 11);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(b.length);
  chunks.push(len, b);
}
const stock8 = (s) => Buffer.from(s.padEnd(8, ' '), 'latin1');
const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(v)); return b; };
const ch = (c) => Buffer.from(c, 'latin1');
const px4 = (cents) => u32(cents * 100);

let matchNo = 1;
let nextRef = 1;
const printed = []; // printed trades { match, locate }, for broken trades

function systemEvent(ts, code) {
  message('S', 0, ts, ch(code));
}
function directory(ts, s) {
  message('R', s.locate, ts, Buffer.concat([stock8(s.symbol), ch('Q'), ch('N'), u32(100), ch('N'), ch('C'), ch('Z '), ch('P'), ch('N'), ch(' '), ch('1'), ch('N'), u32(0), ch('N')]));
}
function tradingAction(ts, s, state) {
  message('H', s.locate, ts, Buffer.concat([stock8(s.symbol), ch(state), ch(' '), ch('    ')]));
}

// Each stock's book, kept here to choose valid messages: ref -> { side, price, shares, at }.
for (const s of STOCKS) s.orders = new Map();
const best = (s, side) => {
  let b = null;
  for (const o of s.orders.values()) if (o.side === side && (b === null || (side === 'B' ? o.price > b : o.price < b))) b = o.price;
  return b;
};
const oldestAt = (s, side, price) => {
  let r = null;
  for (const [ref, o] of s.orders) if (o.side === side && o.price === price && (r === null || o.at < s.orders.get(r).at)) r = ref;
  return r;
};
const randomOrder = (s) => {
  const refs = [...s.orders.keys()];
  return refs.length ? refs[Math.floor(rand() * refs.length)] : null;
};
/** A resting price for `side`: behind the opposite touch, 0-8 ticks from the mid. */
function restingPrice(s, side) {
  const opp = best(s, side === 'B' ? 'S' : 'B');
  const depth = Math.floor(expo(2.5));
  let p = side === 'B' ? s.mid - depth : s.mid + 1 + depth;
  if (opp !== null) p = side === 'B' ? Math.min(p, opp - 1) : Math.max(p, opp + 1);
  return Math.max(1, p);
}

function add(ts, s, seq) {
  const side = rand() < 0.5 ? 'B' : 'S';
  const price = restingPrice(s, side);
  const shares = 100 * (1 + Math.floor(expo(2)));
  const ref = nextRef++;
  s.orders.set(ref, { side, price, shares, at: seq });
  const body = [u64(ref), ch(side), u32(shares), stock8(s.symbol), px4(price)];
  if (rand() < 0.1) message('F', s.locate, ts, Buffer.concat([...body, ch(pick(['GSCO', 'MSCO', 'JPMS']))]));
  else message('A', s.locate, ts, Buffer.concat(body));
}

function execute(ts, s) {
  const side = rand() < 0.5 ? 'B' : 'S';
  const p = best(s, side);
  if (p === null) return false;
  const ref = oldestAt(s, side, p);
  const o = s.orders.get(ref);
  const shares = rand() < 0.5 ? o.shares : Math.max(1, Math.floor(o.shares * rand()));
  const m = matchNo++;
  if (rand() < 0.15) {
    // With price: a print away from the order's price (price improvement), or non-printable.
    const printable = rand() < 0.6;
    message('C', s.locate, ts, Buffer.concat([u64(ref), u32(shares), u64(m), ch(printable ? 'Y' : 'N'), px4(p)]));
    if (printable) printed.push({ match: m, locate: s.locate });
  } else {
    message('E', s.locate, ts, Buffer.concat([u64(ref), u32(shares), u64(m)]));
    printed.push({ match: m, locate: s.locate });
  }
  o.shares -= shares;
  if (o.shares === 0) s.orders.delete(ref);
  // The touch moved: the mid follows the trade.
  s.mid = side === 'B' ? Math.min(s.mid, p) : Math.max(s.mid, p - 1);
  return true;
}

function cancel(ts, s) {
  const ref = randomOrder(s);
  if (ref === null) return false;
  const o = s.orders.get(ref);
  if (rand() < 0.45 && o.shares > 1) {
    const n = Math.max(1, Math.floor(o.shares * rand() * 0.9));
    message('X', s.locate, ts, Buffer.concat([u64(ref), u32(n)]));
    o.shares -= n;
  } else {
    message('D', s.locate, ts, u64(ref));
    s.orders.delete(ref);
  }
  return true;
}

function replace(ts, s, seq) {
  const ref = randomOrder(s);
  if (ref === null) return false;
  const o = s.orders.get(ref);
  s.orders.delete(ref);
  // Same price with a new size about a third of the time; otherwise a new resting price.
  const price = rand() < 0.35 ? o.price : restingPrice(s, o.side);
  const shares = 100 * (1 + Math.floor(expo(2)));
  const nref = nextRef++;
  s.orders.set(nref, { side: o.side, price, shares, at: seq });
  message('U', s.locate, ts, Buffer.concat([u64(ref), u64(nref), u32(shares), px4(price)]));
  return true;
}

function hiddenTrade(ts, s) {
  const b = best(s, 'B');
  const a = best(s, 'S');
  if (b === null || a === null) return false;
  const m = matchNo++;
  printed.push({ match: m, locate: s.locate });
  message('P', s.locate, ts, Buffer.concat([u64(0), ch('B'), u32(100 * (1 + Math.floor(expo(1)))), stock8(s.symbol), px4(a - b > 1 ? b + 1 : b), u64(m)]));
  return true;
}

function other(ts, s) {
  const kind = pick(['Y', 'L', 'I']);
  if (kind === 'Y') message('Y', s.locate, ts, Buffer.concat([stock8(s.symbol), ch('0')]));
  else if (kind === 'L') message('L', s.locate, ts, Buffer.concat([ch('GSCO'), stock8(s.symbol), ch('Y'), ch('N'), ch('A')]));
  else message('I', s.locate, ts, Buffer.concat([u64(1000), u64(200), ch('B'), stock8(s.symbol), px4(s.mid), px4(s.mid), px4(s.mid), ch('O'), ch(' ')]));
}

// The day before the open.
systemEvent(3n * 3600n * NS, 'O');
systemEvent(4n * 3600n * NS, 'S');
let ts = 4n * 3600n * NS + 1_000_000n;
for (const s of STOCKS) directory((ts += 1000n), s);
for (const s of STOCKS) tradingAction((ts += 1000n), s, 'Q');
// Pre-open quotes so the cross has a book.
let seq = 0;
for (let i = 0; i < 40; i++) for (const s of STOCKS) add((ts += 50_000_000n), s, seq++);
systemEvent(OPEN - 1n, 'Q');
ts = OPEN;
for (const s of STOCKS) {
  message('Q', s.locate, (ts += 1000n), Buffer.concat([u64(100 * (20 + Math.floor(rand() * 50))), stock8(s.symbol), px4(s.mid), u64(matchNo++), ch('O')]));
  tradingAction((ts += 1000n), s, 'T');
}

const end = OPEN + BigInt(SECONDS) * NS;
let broken = 0;
while (ts < end) {
  ts += BigInt(Math.max(1, Math.round(expo(1e9 / RATE))));
  const s = STOCKS[Math.floor(rand() * STOCKS.length)];
  seq++;
  const u = rand();
  // Few orders resting: add; otherwise a mix close to what TotalView shows (adds and deletes dominate).
  if (s.orders.size < 15 || u < 0.42) add(ts, s, seq);
  else if (u < 0.62) cancel(ts, s) || add(ts, s, seq);
  else if (u < 0.74) replace(ts, s, seq) || add(ts, s, seq);
  else if (u < 0.9) execute(ts, s) || add(ts, s, seq);
  else if (u < 0.95) hiddenTrade(ts, s) || add(ts, s, seq);
  else if (u < 0.98) other(ts, s);
  else if (broken < 4 && printed.length > 10) {
    // Break a recent print (NASDAQ breaks "clearly erroneous" executions minutes later; here seconds).
    const p = printed.splice(printed.length - 1 - Math.floor(rand() * 10), 1)[0];
    message('B', p.locate, ts, u64(p.match));
    broken++;
  } else add(ts, s, seq);
  // Occasionally the mid walks a tick.
  if (rand() < 0.02) s.mid += rand() < 0.5 ? -1 : 1;
  // A short halt in NVDA at 09:30:40 (a trading pause, then trading again).
  if (s.symbol === 'NVDA' && !s.paused && ts > OPEN + 40n * NS) {
    s.paused = true;
    tradingAction(ts, s, 'P');
    tradingAction((ts += 5n * NS), s, 'T');
  }
}
systemEvent((ts += 1_000_000n), 'M');
systemEvent((ts += 1_000_000n), 'E');
systemEvent((ts += 1_000_000n), 'C');

mkdirSync(OUT, { recursive: true });
const file = Buffer.concat(chunks);
writeFileSync(join(OUT, NAME), file);
console.log(`${join(OUT, NAME)}: ${chunks.length / 2} messages, ${file.length} bytes`);
