import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { InstrumentRegistry, type InstrumentConfig } from '@hft/config';
import { privateDatabase } from '@hft/testing';
import { CandleStore, InstrumentMaster, InstrumentSearch, migrateMarketStore, mergeInstruments, parseInstrumentCsv, parseOhlcvCsv, rowFromConfig, rowToConfig, storePool, type StoredCandle } from '../src/index.js';

let db: Awaited<ReturnType<typeof privateDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  db = await privateDatabase();
  pool = storePool(db.url);
  await migrateMarketStore(pool);
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const CSV = `symbol,kind,tick_size,lot_size,name,venue,currency,timezone,underlying,expiry,strike,right,multiplier
AAPL,equity,0.01,1,Apple Inc.,XNAS,USD,America/New_York,,,,,
AAPL260320C190,option,0.01,1,AAPL 20 Mar 2026 190 call,XCBO,USD,America/New_York,AAPL,2026-03-20,190,C,100
ESH6,future,0.25,1,E-mini S&P 500 Mar 2026,XCME,USD,America/Chicago,ES,2026-03-20,,,50
MSFT,equity,0.01,1,Microsoft Corporation,XNAS,USD,America/New_York,,,,,
BAD SYMBOL,equity,0.01,1,,,,,,,,,
APPL,equity,0.01,0,zero lot,XNAS,USD,UTC,,,,,
XOPT,option,0.01,1,no terms,XCBO,USD,UTC,,,,,
MSFT,equity,0.01,1,again,XNAS,USD,UTC,,,,,
`;

describe('instrument master', () => {
  it('imports a CSV idempotently and reports every bad row with line, column and why', async () => {
    const { rows, bad } = parseInstrumentCsv('instruments.csv', CSV);
    expect(rows.map((r) => r.symbol)).toEqual(['AAPL', 'AAPL260320C190', 'ESH6', 'MSFT']);
    expect(bad.map((b) => [b.line, b.column])).toEqual([
      [6, 'symbol'],
      [7, 'lot_size'],
      [8, 'expiry'],
      [9, 'symbol'],
    ]);
    expect(bad[1]!.why).toMatch(/positive decimal/);
    const master = new InstrumentMaster(pool);
    expect(await master.upsert(rows)).toEqual({ inserted: 4, updated: 0, unchanged: 0 });
    expect(await master.upsert(rows)).toEqual({ inserted: 0, updated: 0, unchanged: 4 });
    const changed = rows.map((r) => (r.symbol === 'MSFT' ? { ...r, name: 'Microsoft Corp.' } : r));
    expect(await master.upsert(changed)).toEqual({ inserted: 0, updated: 1, unchanged: 3 });
    const back = await master.all();
    expect(back.find((r) => r.symbol === 'AAPL260320C190')).toMatchObject({ kind: 'option', underlying: 'AAPL', expiry: '2026-03-20', strike: 190, right: 'call', multiplier: 100 });
    // What daemons build their registry from: the master, the config's entries on top.
    const configs = back.map((r) => rowToConfig(r)).flatMap((c) => (c.ok ? [c.config] : []));
    const cfgAapl: InstrumentConfig = { symbol: 'AAPL', price_decimals: 2, tick_size: 0.01, qty_decimals: 0, lot_size: 1 };
    const registry = new InstrumentRegistry(mergeInstruments(configs, [cfgAapl]));
    expect(registry.get('AAPL260320C190').option).toMatchObject({ underlying: 'AAPL', strikeUnits: 19000, right: 'call' });
    expect(registry.get('ESH6').tickUnits).toBe(25);
    expect(rowFromConfig(cfgAapl).kind).toBe('equity');
  });

  it('search: the symbol first, then its prefix (shares before contracts), then words and near misses of the name', () => {
    const rows = parseInstrumentCsv('instruments.csv', CSV).rows;
    const extra = ['AAPX', 'AAPLW'].map((s) => ({ ...rows[0]!, symbol: s, name: `${s} Holdings` }));
    const s = new InstrumentSearch([...rows, ...extra]);
    expect(s.search('aapl', 10).map((h) => [h.symbol, h.match])).toEqual([
      ['AAPL', 'exact'],
      ['AAPLW', 'prefix'],
      ['AAPL260320C190', 'prefix'],
      ['AAPX', 'fuzzy'],
    ]);
    expect(s.search('micro', 5).map((h) => [h.symbol, h.match])).toEqual([['MSFT', 'word']]);
    expect(s.search('mircosoft', 5).map((h) => [h.symbol, h.match])).toEqual([['MSFT', 'fuzzy']]);
    expect(s.search('apple', 5, { kind: 'option' }).map((h) => h.symbol)).toEqual([]);
    expect(s.search('e-mini', 5).map((h) => h.symbol)).toEqual(['ESH6']);
    expect(s.search('   ', 5)).toEqual([]);
  });

  it('a long prefix range (walked in rank order) ranks as a short one (sorted) would', () => {
    const base = parseInstrumentCsv('instruments.csv', CSV).rows[0]!;
    const kinds = ['equity', 'option', 'future', 'crypto'] as const;
    const rows = Array.from({ length: 6000 }, (_, i) => ({ ...base, symbol: `A${(i * 7919).toString(36).toUpperCase()}`, kind: kinds[i % 4]!, name: `n${i}` }));
    const s = new InstrumentSearch(rows);
    const order = { equity: 0, etf: 0, index: 1, crypto: 1, fx: 1, future: 2, option: 3 } as const;
    const brute = rows
      .filter((r) => r.symbol.startsWith('A'))
      .sort((a, b) => order[a.kind] - order[b.kind] || a.symbol.length - b.symbol.length || (a.symbol < b.symbol ? -1 : 1))
      .slice(0, 25)
      .map((r) => r.symbol);
    expect(s.search('a', 25).map((h) => h.symbol)).toEqual(brute);
    expect(s.search('a', 25, { kind: 'future' }).every((h) => h.kind === 'future')).toBe(true);
  });
});

describe('candle store', () => {
  const registry = new InstrumentRegistry([{ symbol: 'AAPL', price_decimals: 2, tick_size: 0.01, qty_decimals: 0, lot_size: 1 }]);
  const day = Date.UTC(2026, 2, 2, 14, 30);
  const minutes: StoredCandle[] = Array.from({ length: 3 * 24 * 60 }, (_, i) => {
    const p = 18_000 + (i % 97) * 3;
    return { symbol: 'AAPL', startMs: day - 86_400_000 + i * 60_000, open: p, high: p + 20, low: p - 10, close: p + 5, volume: 100 + (i % 13), trades: 3, turnover: ((p + 5) / 100) * (100 + (i % 13)) };
  });

  it('partitions by day, upserts idempotently, aggregates any interval like an independent fold', async () => {
    const store = new CandleStore(pool);
    expect(await store.upsert(minutes, 'backfill')).toEqual({ inserted: minutes.length, updated: 0, unchanged: 0 });
    expect(await store.upsert(minutes, 'backfill')).toEqual({ inserted: 0, updated: 0, unchanged: minutes.length });
    const parts = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM partman.show_partitions('public.candles_1m') WHERE partition_tablename BETWEEN 'candles_1m_p2026_03_01' AND 'candles_1m_p2026_03_04'");
    expect(parts.rows[0]!.n).toBe(4);
    const from = minutes[0]!.startMs;
    const to = minutes.at(-1)!.startMs + 60_000;
    for (const [interval, ms] of [['5m', 300_000], ['1h', 3_600_000]] as const) {
      const got = await store.history('AAPL', from, to, interval, 'UTC', 100_000);
      expect(got).toEqual(fold(minutes, (m) => Math.floor(m.startMs / ms) * ms));
    }
    const ny = await store.history('AAPL', from, to, '1d', 'America/New_York', 100);
    // New York midnight is 05:00 UTC in March (before the DST change on the 8th).
    expect(ny).toEqual(fold(minutes, (m) => Math.floor((m.startMs - 5 * 3_600_000) / 86_400_000) * 86_400_000 + 5 * 3_600_000));
    const oneMinute = await store.history('AAPL', day, day + 120_000, '1m', 'UTC', 10);
    expect(oneMinute).toEqual(minutes.filter((m) => m.startMs >= day && m.startMs < day + 120_000));
    const f = await store.dayFigures('AAPL', day, day + 120_000);
    expect(f.prevClose).toBe(minutes.find((m) => m.startMs === day - 60_000)!.close);
    expect(f.dayVolume).toBe(oneMinute.reduce((a, m) => a + m.volume, 0));
  });

  it('parses OHLCV bars onto the grid and says what is wrong with the rest', () => {
    const text = 'ts,symbol,open,high,low,close,volume\n2026-03-02T14:30:00Z,AAPL,187.40,187.60,187.30,187.50,1200\n2026-03-02T14:30:30Z,AAPL,1,1,1,1,1\n1772461860,AAPL,187.405,188,187,187.5,10\n1772461920000,ZZZ,1,1,1,1,1\n1772461980000000000,AAPL,187.40,187.00,187.30,187.50,5\n';
    const { candles, bad } = parseOhlcvCsv('bars.csv', registry, text);
    expect(candles).toEqual([{ symbol: 'AAPL', startMs: Date.UTC(2026, 2, 2, 14, 30), open: 18740, high: 18760, low: 18730, close: 18750, volume: 1200, trades: 1, turnover: ((18760 + 18730 + 18750) / 3 / 100) * 1200 }]);
    expect(bad.map((b) => [b.line, b.column])).toEqual([
      [3, 'ts'],
      [4, 'open'],
      [5, 'symbol'],
      [6, 'high'],
    ]);
  });
});

function fold(ms: StoredCandle[], bucket: (m: StoredCandle) => number): StoredCandle[] {
  const out = new Map<number, StoredCandle>();
  for (const m of ms) {
    const b = bucket(m);
    const c = out.get(b);
    if (!c) out.set(b, { ...m, startMs: b });
    else {
      c.high = Math.max(c.high, m.high);
      c.low = Math.min(c.low, m.low);
      c.close = m.close;
      c.volume += m.volume;
      c.trades += m.trades;
      c.turnover += m.turnover;
    }
  }
  return [...out.values()].map((c) => ({ ...c, turnover: expect.closeTo(c.turnover, 6) as unknown as number }));
}
