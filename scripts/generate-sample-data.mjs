#!/usr/bin/env node
// Generates the committed sample tick files under data/ (deterministic: same seed, same bytes).
//
//   node scripts/generate-sample-data.mjs [--out data] [--seconds 300] [--seed 20260302]
//
// Price process: per-symbol log mid follows a random walk whose volatility clusters (GARCH(1,1) on
// the event clock). Spreads are 1-3 ticks, widening with volatility; the top 10 levels per side carry
// log-normal sizes that refresh, trades arrive as a Poisson process and take liquidity at the touch
// with log-normal sizes. Output:
//   data/market_data.csv   AAPL, MSFT, NVDA: L2 level updates and trades, the project's own format
//   data/btc.csv           BTC-USDT trades in Binance's public trades format (µs timestamps)
//   data/lobster/AAPL_<date>_34200000_34260000_{message,orderbook}_5.csv
//                          a LOBSTER message file and the expected top-5 book after every message,
//                          computed here by an independent order-by-order book

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalFrom, seededRandom } from './seeded-random.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const OUT = args.out ?? 'data';
const SECONDS = Number(args.seconds ?? 300);
const SEED = Number(args.seed ?? 20260302);
// 2026-03-02 14:30:00 UTC = 09:30 New York, the cash open.
const START_NS = 1772461800n * 1_000_000_000n;

const rand = seededRandom(SEED);
const normal = normalFrom(rand);
const expo = (mean) => -Math.log(1 - rand()) * mean;
const lognormal = (median, sigma) => median * Math.exp(sigma * normal());

/** GARCH(1,1) returns on the event clock: r = sigma * z, sigma^2 = w + a r^2 + b sigma^2. */
function garch(dailyVol) {
  const perEvent = dailyVol / Math.sqrt(23400 * 40);
  const w = perEvent ** 2 * 0.04;
  let s2 = perEvent ** 2;
  return () => {
    const r = Math.sqrt(s2) * normal();
    s2 = w + 0.08 * r * r + 0.88 * s2;
    return { r, vol: Math.sqrt(s2) / perEvent };
  };
}

// ---------------------------------------------------------------- equities (own format)
function equities() {
  const symbols = [
    { symbol: 'AAPL', mid: 187.4, vol: 0.018, size: 200, rate: 45 },
    { symbol: 'MSFT', mid: 412.1, vol: 0.016, size: 120, rate: 35 },
    { symbol: 'NVDA', mid: 118.3, vol: 0.032, size: 400, rate: 55 },
  ];
  const rows = [];
  for (const s of symbols) {
    const step = garch(s.vol);
    const tick = 0.01;
    let mid = s.mid;
    let bid = new Map();
    let ask = new Map();
    let t = 0;
    const emit = (type, side, price, qty) =>
      rows.push([START_NS + BigInt(Math.round(t * 1e9)), s.symbol, type, side, price.toFixed(2), String(qty)]);
    const rebuild = (spreadTicks) => {
      const bestBid = Math.round((mid - (spreadTicks * tick) / 2) / tick) * tick;
      const bestAsk = bestBid + spreadTicks * tick;
      const nb = new Map();
      const na = new Map();
      for (let i = 0; i < 10; i++) {
        const bp = +(bestBid - i * tick).toFixed(2);
        const ap = +(bestAsk + i * tick).toFixed(2);
        nb.set(bp, bid.get(bp) ?? Math.max(1, Math.round(lognormal(s.size * (1 + i * 0.3), 0.6))));
        na.set(ap, ask.get(ap) ?? Math.max(1, Math.round(lognormal(s.size * (1 + i * 0.3), 0.6))));
      }
      // Emit the diff: removed levels first, then new/changed ones.
      for (const [p] of bid) if (!nb.has(p)) emit('bid', '', p, 0);
      for (const [p] of ask) if (!na.has(p)) emit('ask', '', p, 0);
      for (const [p, q] of nb) if (bid.get(p) !== q) emit('bid', '', p, q);
      for (const [p, q] of na) if (ask.get(p) !== q) emit('ask', '', p, q);
      bid = nb;
      ask = na;
    };
    rebuild(1);
    while (t < SECONDS) {
      t += expo(1 / s.rate);
      const { r, vol } = step();
      mid *= Math.exp(r);
      const spreadTicks = Math.min(3, 1 + Math.floor(rand() * Math.min(3, vol)));
      const u = rand();
      if (u < 0.18) {
        // A trade at the touch takes part of the level.
        const buy = rand() < 0.5 + Math.tanh(r * 1000) * 0.2;
        const book = buy ? ask : bid;
        const best = buy ? Math.min(...book.keys()) : Math.max(...book.keys());
        const have = book.get(best);
        const qty = Math.max(1, Math.min(have, Math.round(lognormal(s.size * 0.4, 0.8))));
        emit('trade', buy ? 'buy' : 'sell', best, qty);
        if (qty === have) {
          book.delete(best);
          emit(buy ? 'ask' : 'bid', '', best, 0);
        } else {
          book.set(best, have - qty);
          emit(buy ? 'ask' : 'bid', '', best, have - qty);
        }
      } else if (u < 0.55) {
        rebuild(spreadTicks);
      } else {
        // Size refresh somewhere in the top levels.
        const side = rand() < 0.5 ? bid : ask;
        const levels = [...side.keys()].sort((a, b) => (side === bid ? b - a : a - b));
        const p = levels[Math.min(levels.length - 1, Math.floor(expo(2.5)))];
        const q = Math.max(1, Math.round(lognormal(s.size, 0.7)));
        side.set(p, q);
        emit(side === bid ? 'bid' : 'ask', '', p, q);
      }
    }
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return 'ts,symbol,type,side,price,qty\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
}

// ---------------------------------------------------------------- BTC-USDT (Binance trades)
function btc() {
  const step = garch(0.035);
  let px = 68250.0;
  let t = 0;
  let id = 4_812_000_000;
  const lines = [];
  while (t < SECONDS) {
    t += expo(1 / 22);
    const { r } = step();
    px *= Math.exp(r * 2);
    const buyerMaker = rand() < 0.5;
    const price = Math.round((px + (buyerMaker ? -0.05 : 0.05)) * 100) / 100;
    const qty = Math.max(0.00001, Math.round(lognormal(0.012, 1.3) * 1e5) / 1e5);
    const us = (START_NS / 1000n) + BigInt(Math.round(t * 1e6));
    lines.push(
      [id++, price.toFixed(2), qty.toFixed(5), (price * qty).toFixed(7), us, buyerMaker ? 'True' : 'False', 'True'].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- LOBSTER sample
function lobster() {
  const messages = [];
  const books = [];
  const orders = new Map(); // id -> { side: 1|-1, price, size }
  const levels = { 1: new Map(), [-1]: new Map() };
  let nextId = 1_000_001;
  let t = 34200.0; // 09:30:00 after midnight
  let mid = 1874000; // $187.40 in 1/10000 dollars
  const tick = 100;
  const addLevel = (side, price, delta) => {
    const m = levels[side];
    const q = (m.get(price) ?? 0) + delta;
    if (q === 0) m.delete(price);
    else m.set(price, q);
  };
  const snapshot = () => {
    const asks = [...levels[-1].entries()].sort((a, b) => a[0] - b[0]);
    const bids = [...levels[1].entries()].sort((a, b) => b[0] - a[0]);
    const row = [];
    for (let i = 0; i < 5; i++) {
      row.push(asks[i]?.[0] ?? 9999999999, asks[i]?.[1] ?? 0, bids[i]?.[0] ?? -9999999999, bids[i]?.[1] ?? 0);
    }
    return row.join(',');
  };
  const push = (type, id, size, price, dir) => {
    messages.push(`${t.toFixed(9)},${type},${id},${size},${price},${dir}`);
    books.push(snapshot());
  };
  const bestOf = (side) => {
    const ps = [...levels[side].keys()];
    if (ps.length === 0) return null;
    return side === 1 ? Math.max(...ps) : Math.min(...ps);
  };
  for (let i = 0; i < 2500; i++) {
    t += expo(0.02);
    if (rand() < 0.05) mid += (rand() < 0.5 ? -1 : 1) * tick;
    const u = rand();
    const live = [...orders.keys()];
    if (u < 0.5 || live.length < 20) {
      // Submit a passive limit order (type 1).
      const side = rand() < 0.5 ? 1 : -1;
      const off = (1 + Math.floor(expo(2))) * tick;
      let price = side === 1 ? mid - off : mid + off;
      const opp = bestOf(-side);
      if (opp !== null && (side === 1 ? price >= opp : price <= opp)) price = side === 1 ? opp - tick : opp + tick;
      const size = 100 * (1 + Math.floor(expo(2)));
      const id = nextId++;
      orders.set(id, { side, price, size });
      addLevel(side, price, size);
      push(1, id, size, price, side);
    } else if (u < 0.7) {
      // Partial cancel (type 2).
      const id = live[Math.floor(rand() * live.length)];
      const o = orders.get(id);
      if (o.size <= 100) continue;
      const size = 100 * (1 + Math.floor(rand() * (o.size / 100 - 1)));
      o.size -= size;
      addLevel(o.side, o.price, -size);
      push(2, id, size, o.price, o.side);
    } else if (u < 0.88) {
      // Full delete (type 3).
      const id = live[Math.floor(rand() * live.length)];
      const o = orders.get(id);
      orders.delete(id);
      addLevel(o.side, o.price, -o.size);
      push(3, id, o.size, o.price, o.side);
    } else if (u < 0.97) {
      // A marketable order executes against the touch, oldest order first (type 4 per resting order).
      const side = rand() < 0.5 ? 1 : -1; // resting side hit
      const best = bestOf(side);
      if (best === null) continue;
      let want = 100 * (1 + Math.floor(expo(3)));
      for (const [id, o] of orders) {
        if (want === 0) break;
        if (o.side !== side || o.price !== best) continue;
        const q = Math.min(want, o.size);
        want -= q;
        o.size -= q;
        addLevel(side, best, -q);
        if (o.size === 0) orders.delete(id);
        push(4, id, q, best, side);
      }
    } else {
      // Hidden execution (type 5): trades, the visible book does not change.
      const best = bestOf(1);
      if (best === null) continue;
      push(5, 0, 100, best, 1);
    }
  }
  return { messages: messages.join('\n') + '\n', books: books.join('\n') + '\n' };
}

mkdirSync(join(OUT, 'lobster'), { recursive: true });
const eq = equities();
writeFileSync(join(OUT, 'market_data.csv'), eq);
const b = btc();
writeFileSync(join(OUT, 'btc.csv'), b);
const l = lobster();
const stem = `AAPL_2026-03-02_34200000_34260000`;
writeFileSync(join(OUT, 'lobster', `${stem}_message_5.csv`), l.messages);
writeFileSync(join(OUT, 'lobster', `${stem}_orderbook_5.csv`), l.books);
const kb = (s) => `${(s.length / 1024).toFixed(0)} KiB`;
console.error(
  `wrote ${OUT}/market_data.csv (${eq.split('\n').length - 2} rows, ${kb(eq)}), ${OUT}/btc.csv (${b.split('\n').length - 1} trades, ${kb(b)}), ` +
    `${OUT}/lobster/${stem}_{message,orderbook}_5.csv (${l.messages.split('\n').length - 1} messages)`,
);
