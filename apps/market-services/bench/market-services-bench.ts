// Market services benchmark on a private database of the shared Postgres:
//   - instrument search on 50,000 instruments (in process and over the daemon's HTTP), p50/p99, each
//     as a ratio to a plain indexed SELECT of the same rows (by primary key) in the same run;
//   - candle history for a year of minutes on one symbol (525,600 rows in 365 pg_partman partitions)
//     at 1m / 1h / 1d, each as a ratio to a plain indexed SELECT of the same minute rows.
//   node apps/market-services/dist/bench/market-services-bench.js
import { performance } from 'node:perf_hooks';
import { CandleStore, InstrumentMaster, InstrumentSearch, migrateMarketStore, storePool, type InstrumentRow, type StoredCandle } from '@hft/market-store';
import { platformEnv, privateDatabase, seededRandom, startDaemon } from '@hft/testing';

const N_INSTRUMENTS = 50_000;
const YEAR_MIN = 365 * 1440;
const rand = seededRandom(7);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const us = (ms: number): string => `${(ms * 1000).toFixed(0).padStart(7)} us`;

// Company-like names from syllables; symbols from their initials (unique by a suffix when taken).
const SYL = ['ac', 'al', 'an', 'ar', 'bel', 'bio', 'cor', 'dyn', 'el', 'en', 'gen', 'in', 'kor', 'lum', 'mar', 'med', 'nex', 'nov', 'or', 'pac', 'quan', 'ro', 'sol', 'syn', 'tek', 'tri', 'ul', 'vec', 'ver', 'zen'];
const SUFFIX = ['Holdings', 'Corporation', 'Inc.', 'Group', 'Technologies', 'Energy', 'Pharmaceuticals', 'Bancorp', 'Systems', 'Industries'];
function instruments(): InstrumentRow[] {
  const rows: InstrumentRow[] = [];
  const taken = new Set<string>();
  const base = { venue: 'XNAS', currency: 'USD', timezone: 'America/New_York', priceDecimals: 2, tickSize: 0.01, qtyDecimals: 0, lotSize: 1, underlying: null, expiry: null, expiryTime: null, strike: null, right: null, multiplier: null, source: 'bench' } as const;
  const equities: InstrumentRow[] = [];
  while (equities.length < 9000) {
    const word = Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(SYL)).join('');
    const name = `${word[0]!.toUpperCase()}${word.slice(1)} ${pick(SUFFIX)}`;
    let sym = word.slice(0, 2 + Math.floor(rand() * 3)).toUpperCase();
    for (let k = 0; taken.has(sym); k++) sym = `${sym.slice(0, 4)}${k}`;
    taken.add(sym);
    equities.push({ ...base, symbol: sym, name, kind: rand() < 0.15 ? 'etf' : 'equity' });
  }
  rows.push(...equities);
  for (let i = 0; i < 1000; i++) rows.push({ ...base, symbol: `F${i.toString(36).toUpperCase()}H6`, name: `${pick(equities).name} future Mar 2026`, kind: 'future', venue: 'XCME', tickSize: 0.25, expiry: '2026-03-20', underlying: pick(equities).symbol, multiplier: 50 });
  // Option chains on 200 underlyings: 4 expiries x 25 strikes x call/put each.
  for (const u of equities.slice(0, 200)) {
    for (const [yymmdd, expiry] of [['260320', '2026-03-20'], ['260417', '2026-04-17'], ['260515', '2026-05-15'], ['260618', '2026-06-18']] as const) {
      for (let k = 0; k < 25 && rows.length < N_INSTRUMENTS; k++) {
        for (const right of ['call', 'put'] as const) {
          const strike = 50 + k * 5;
          rows.push({ ...base, symbol: `${u.symbol}${yymmdd}${right === 'call' ? 'C' : 'P'}${strike}`, name: `${u.symbol} ${expiry} ${strike} ${right}`, kind: 'option', venue: 'XCBO', underlying: u.symbol, expiry, expiryTime: '16:00', strike, right, multiplier: 100 });
        }
      }
    }
  }
  while (rows.length < N_INSTRUMENTS) rows.push({ ...base, symbol: `X${rows.length.toString(36).toUpperCase()}`, name: `${pick(equities).name} note ${rows.length}`, kind: 'equity' });
  return rows.slice(0, N_INSTRUMENTS);
}

async function main(): Promise<void> {
  const db = await privateDatabase();
  const pool = storePool(db.url, 4);
  try {
    await migrateMarketStore(pool);
    const rows = instruments();
    let t = performance.now();
    await new InstrumentMaster(pool).upsert(rows);
    const importMs = performance.now() - t;
    t = performance.now();
    const loaded = await new InstrumentMaster(pool).all();
    const search = new InstrumentSearch(loaded);
    const indexMs = performance.now() - t;
    console.log(`market services benchmark (private database on the shared Postgres; figures vary with the machine's load)`);
    console.log(`  instrument master: ${rows.length.toLocaleString('en-US')} instruments imported in ${importMs.toFixed(0)} ms, loaded and indexed in ${indexMs.toFixed(0)} ms`);

    // Queries people type: whole symbols, prefixes, words of names, typos.
    const eq = rows.filter((r) => r.kind === 'equity');
    const queries: string[] = [];
    for (let i = 0; i < 400; i++) {
      const r = pick(eq);
      const word = r.name.split(' ')[0]!;
      const kind = i % 4;
      queries.push(kind === 0 ? r.symbol : kind === 1 ? r.symbol.slice(0, 1 + (i % 3)) : kind === 2 ? word.slice(0, 4 + (i % 3)) : `${word.slice(0, 2)}${word[3] ?? ''}${word[2] ?? ''}${word.slice(4)}`);
    }
    const inProc: number[] = [];
    const baseline: number[] = [];
    const hits: string[][] = [];
    // Warm (the first run of each code path compiles it), as a long-running daemon is.
    for (const q of queries) search.search(q, 20);
    for (const q of queries) {
      const t0 = performance.now();
      const h = search.search(q, 20);
      inProc.push(performance.now() - t0);
      hits.push(h.map((x) => x.symbol));
    }
    for (const syms of hits.slice(0, 20)) await pool.query('SELECT * FROM instruments WHERE symbol = ANY($1)', [syms]);
    for (const syms of hits) {
      const t0 = performance.now();
      await pool.query('SELECT * FROM instruments WHERE symbol = ANY($1)', [syms]);
      baseline.push(performance.now() - t0);
    }
    // The daemon on the same database, over HTTP (what a client sees).
    const p = await platformEnv({ DATABASE_URL: db.url, HFT__INSTRUMENT_MASTER__SOURCE: 'postgres', HFT__MARKET_SERVICES__ENABLED: 'true', LOG_LEVEL: 'error' });
    const d = startDaemon('market-services', [], p.env);
    const http: number[] = [];
    try {
      await d.ready(p.http.market_services, 120_000);
      const base = `http://127.0.0.1:${p.http.market_services}/api/v1/instruments/search?query=`;
      for (const q of queries.slice(0, 20)) await (await fetch(base + encodeURIComponent(q))).json();
      for (const q of queries) {
        const t0 = performance.now();
        await (await fetch(base + encodeURIComponent(q))).json();
        http.push(performance.now() - t0);
      }
    } finally {
      await d.stop();
    }
    const slowest = queries.map((q, i) => [q, inProc[i]!] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
    const b50 = pct(baseline, 50);
    const b99 = pct(baseline, 99);
    console.log(`  search, ${queries.length} queries (symbols, prefixes, name words, typos), 20 results each:`);
    console.log(`    plain indexed SELECT of the same rows   p50 ${us(b50)}  p99 ${us(b99)}   (baseline)`);
    console.log(`    search in process                       p50 ${us(pct(inProc, 50))}  p99 ${us(pct(inProc, 99))}   ${(pct(inProc, 50) / b50).toFixed(2)}x / ${(pct(inProc, 99) / b99).toFixed(2)}x`);
    console.log(`    slowest in process: ${slowest.map(([q, ms]) => `${JSON.stringify(q)} ${us(ms).trim()}`).join(', ')}`);
    console.log(`    GET /api/v1/instruments/search (HTTP)   p50 ${us(pct(http, 50))}  p99 ${us(pct(http, 99))}   ${(pct(http, 50) / b50).toFixed(2)}x / ${(pct(http, 99) / b99).toFixed(2)}x`);

    // A year of minutes on one symbol.
    const store = new CandleStore(pool);
    const start = Date.UTC(2025, 0, 1);
    const candles: StoredCandle[] = [];
    let px = 6_000_000;
    for (let i = 0; i < YEAR_MIN; i++) {
      const o = px;
      px = Math.max(100, px + Math.round((rand() - 0.5) * 2000));
      candles.push({ symbol: 'BTC-USDT', startMs: start + i * 60_000, open: o, high: Math.max(o, px) + 50, low: Math.min(o, px) - 50, close: px, volume: 1000 + Math.floor(rand() * 100_000), trades: 1 + Math.floor(rand() * 50), turnover: (px / 100) * 0.5 });
    }
    t = performance.now();
    await store.upsert(candles, 'backfill', 20_000);
    const writeMs = performance.now() - t;
    await pool.query('ANALYZE candles_1m');
    const parts = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM partman.show_partitions('public.candles_1m')")).rows[0]!.n;
    console.log(`  candle store: ${YEAR_MIN.toLocaleString('en-US')} minutes of one symbol written in ${(writeMs / 1000).toFixed(1)} s (${Math.round(YEAR_MIN / (writeMs / 1000)).toLocaleString('en-US')} minutes/s), ${parts} day partitions`);
    const end = start + YEAR_MIN * 60_000;
    const time = async (f: () => Promise<unknown>, n = 5): Promise<number> => {
      await f();
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await f();
        xs.push(performance.now() - t0);
      }
      return pct(xs, 50);
    };
    const plain = await time(() => pool.query('SELECT symbol, ts, open, high, low, close, volume, trades, turnover FROM candles_1m WHERE symbol = $1 AND ts >= $2 AND ts < $3 ORDER BY ts', ['BTC-USDT', new Date(start), new Date(end)]));
    console.log(`  candle history, a year (median of 5):`);
    console.log(`    plain indexed SELECT of the 525,600 minutes   ${(plain).toFixed(1).padStart(8)} ms   (baseline)`);
    for (const interval of ['1m', '1h', '1d'] as const) {
      let n = 0;
      const ms = await time(async () => (n = (await store.history('BTC-USDT', start, end, interval, 'UTC', 1_000_000)).length));
      console.log(`    history ${interval} (${n.toLocaleString('en-US').padStart(7)} candles)              ${ms.toFixed(1).padStart(8)} ms   ${(ms / plain).toFixed(2)}x`);
    }
  } finally {
    await pool.end();
    await db.drop();
  }
}

await main();
