// The market-services daemon as a real process on a private Postgres database: the test plays the
// tick stream (PUB) and reads the REST API, the candle store and the scanner's topic.
import { afterEach, describe, expect, it } from 'vitest';
import { CandleStore, InstrumentMaster, migrateMarketStore, parseInstrumentCsv, storePool } from '@hft/market-store';
import { Aggressor, TickFrameEncoder, TickKind, topics, type ScannerSuggestions } from '@hft/messages';
import { platformEnv, privateDatabase, startDaemon, until } from '@hft/testing';
import { Publisher, StreamLink } from '@hft/transport';
import { createLogger } from '@hft/logging';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const T0 = Date.UTC(2026, 2, 2, 14, 30); // 09:30 New York
const ns = (ms: number): bigint => BigInt(ms) * 1_000_000n;

async function rig(extra: Record<string, string> = {}) {
  const db = await privateDatabase();
  closers.push(() => db.drop());
  const pool = storePool(db.url);
  closers.push(() => pool.end());
  await migrateMarketStore(pool);
  // The previous trading day's last minute of AAPL: the quote's previous close.
  await new CandleStore(pool).upsert([{ symbol: 'AAPL', startMs: T0 - 17.5 * 3_600_000 - 60_000, open: 18600, high: 18650, low: 18590, close: 18640, volume: 1000, trades: 10, turnover: 186_400 }], 'backfill');
  const p = await platformEnv({
    DATABASE_URL: db.url,
    HFT__INSTRUMENT_MASTER__SOURCE: 'postgres',
    HFT__MARKET_SERVICES__ENABLED: 'true',
    HFT__MARKET_SERVICES__CANDLE_LINGER_MS: '20',
    HFT__MARKET_SERVICES__SCANNER__EVERY_MINUTES: '1',
    HFT__MARKET_SERVICES__SCANNER__UNIVERSE: '["AAPL","MSFT","NVDA"]',
    HFT__MARKET_SERVICES__SCANNER__TOP: '2',
    HFT__MARKET_SERVICES__SCANNER__MIN_SCORE: '-100',
    ...extra,
  });
  const ticks = new Publisher({ stream: 'ticks', endpoint: p.endpoint.ticks, linger: 0 });
  await ticks.bind();
  closers.push(() => ticks.close());
  const d = startDaemon('market-services', [], p.env);
  closers.push(() => d.stop());
  await d.ready(p.http.market_services);
  await ticks.waitForSubscribers(topics.trade('AAPL'), 1, 10_000);
  const scans: ScannerSuggestions[] = [];
  const sub = new StreamLink('scanner', { endpoint: p.endpoint.scanner, topics: [topics.scanner], log: createLogger({ daemon: 'test' }) }).start((m) => void scans.push(m));
  closers.push(() => sub.close());
  const base = `http://127.0.0.1:${p.http.market_services}`;
  const get = async (path: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const trade = (symbol: string, ms: number, cents: number, qty: number): void => {
    const enc = new TickFrameEncoder(symbol, -2, 0, 4);
    enc.add(1, Math.floor(ms / 1000), (ms % 1000) * 1e6, TickKind.Trade, Aggressor.Buyer, cents, qty);
    ticks.publish(topics.trade(symbol), enc.finish(ns(ms)));
  };
  // The SUB joins a moment after connecting (ZeroMQ's slow joiner): give it that before anything is published.
  await new Promise((res) => setTimeout(res, 500));
  return { db, pool, base, get, trade, scans };
}

describe('market-services daemon (real process)', () => {
  it('records minutes as exchange time closes them, answers quotes and history, and scans every minute', async () => {
    const r = await rig();
    // Three minutes of trades; the 14:33 trades close 14:32 and run the 14:33 scan.
    const plan: [string, number, number, number][] = [];
    for (let m = 0; m < 3; m++) {
      plan.push(['AAPL', T0 + m * 60_000 + 1000, 18700 + m * 10, 100]);
      plan.push(['AAPL', T0 + m * 60_000 + 30_000, 18705 + m * 10, 50]);
      plan.push(['MSFT', T0 + m * 60_000 + 2000, 41200 - m * 20, 30]);
      plan.push(['NVDA', T0 + m * 60_000 + 3000, 11830 + m * 40, 500 * (m + 1)]);
    }
    plan.push(['AAPL', T0 + 3 * 60_000 + 500, 18740, 10]);
    for (const [s, ms, px, q] of plan) {
      r.trade(s, ms, px, q);
      await new Promise((res) => setTimeout(res, 15));
    }
    const store = new CandleStore(r.pool);
    await until(async () => ((await store.history('AAPL', T0, T0 + 3 * 60_000, '1m', 'UTC', 10)).length === 3 ? true : undefined), 'three closed AAPL minutes in the store', 10_000);
    expect((await store.history('AAPL', T0, T0 + 60_000, '1m', 'UTC', 1))[0]).toMatchObject({ open: 18700, high: 18705, low: 18700, close: 18705, volume: 150, trades: 2 });

    const c1 = await r.get('/api/v1/market/candles/AAPL?interval=1m&from=2026-03-02T14:30:00Z&to=2026-03-02T14:40:00Z');
    expect(c1.status).toBe(200);
    const candles = c1.json['candles'] as { start: string; open: number; close: number; volume: number; closed: boolean; vwap: number }[];
    expect(candles.map((c) => [c.start.slice(11, 16), c.open, c.close, c.volume, c.closed])).toEqual([
      ['14:30', 187, 187.05, 150, true],
      ['14:31', 187.1, 187.15, 150, true],
      ['14:32', 187.2, 187.25, 150, true],
      ['14:33', 187.4, 187.4, 10, false],
    ]);
    expect(candles[0]!.vwap).toBeCloseTo((187 * 100 + 187.05 * 50) / 150, 6);
    const c5 = await r.get('/api/v1/market/candles/AAPL?interval=5m&from=2026-03-02&to=2026-03-03');
    expect(c5.json['candles']).toMatchObject([{ start: '2026-03-02T14:30:00.000Z', open: 187, high: 187.4, low: 187, close: 187.4, volume: 460, closed: false }]);

    const q = await r.get('/api/v1/market/quote/AAPL');
    expect(q.json).toMatchObject({ symbol: 'AAPL', name: 'Apple Inc.', last: 187.4, lastSize: 10, tradingDay: '2026-03-02', open: 187, high: 187.4, low: 187, volume: 460, previousClose: 186.4, change: 1, changePercent: 0.5365 });

    const scan = await until(async () => r.scans.find((x) => x.asOf === '2026-03-02T14:33:00.000Z'), 'the 14:33 scan', 10_000);
    expect(scan).toMatchObject({ type: 'ScannerSuggestions', asOf: '2026-03-02T14:33:00.000Z', everyMinutes: 1, ranked: 3, skipped: 0 });
    expect(scan.suggestions).toHaveLength(2);
    // NVDA traded twice its usual volume in the last minute, furthest above its VWAP: it leads.
    expect(scan.suggestions[0]!.symbol).toBe('NVDA');
    expect(scan.suggestions[0]!.signals.volumeSurge).toBe(2);
    expect(scan.suggestions[0]!.reasons).toContain('volumeSurge');
    const rest = await r.get('/api/v1/scanner/suggestions?all=true');
    expect(rest.json['asOf']).toBe('2026-03-02T14:33:00.000Z');
    const all = rest.json['all'] as ScannerSuggestions['suggestions'];
    expect(all.map((x) => x.rank)).toEqual([1, 2, 3]);
    // AAPL has an earlier day in the store (its high 186.50): its last 187.25 is 40.2 bps above it.
    expect(all.find((x) => x.symbol === 'AAPL')!.signals.breakout).toBeCloseTo(((187.25 - 186.5) / 186.5) * 1e4, 3);
  });

  it('serves the minutes not written to Postgres yet from memory, each minute once', async () => {
    // Nothing reaches Postgres in this test: the write-behind waits a minute.
    const r = await rig({ HFT__MARKET_SERVICES__CANDLE_LINGER_MS: '60000' });
    for (let m = 0; m < 3; m++) r.trade('AAPL', T0 + m * 60_000 + 1000, 18700 + m * 10, 100);
    const q = await until(async () => {
      const x = (await r.get('/api/v1/market/quote/AAPL')).json;
      return x['last'] === 187.2 ? x : undefined;
    }, 'the third trade in the quote', 10_000);
    expect(q).toMatchObject({ open: 187, high: 187.2, low: 187, volume: 300, previousClose: 186.4 });
    expect(await new CandleStore(r.pool).history('AAPL', T0, T0 + 3 * 60_000, '1m', 'UTC', 10)).toEqual([]);
    const c = await r.get('/api/v1/market/candles/AAPL?interval=1m&from=2026-03-02T14:30:00Z&to=2026-03-02T15:00:00Z');
    expect((c.json['candles'] as { close: number; volume: number; closed: boolean }[]).map((x) => [x.close, x.volume, x.closed])).toEqual([
      [187, 100, true],
      [187.1, 100, true],
      [187.2, 100, false],
    ]);
    const h = await r.get('/api/v1/market/candles/AAPL?interval=1h&from=2026-03-02&to=2026-03-03');
    expect(h.json['candles']).toMatchObject([{ open: 187, close: 187.2, volume: 300, closed: false }]);
  });

  it('searches the master, sees an import without a restart, and refuses bad requests with what and why', async () => {
    const r = await rig();
    const found = await r.get('/api/v1/instruments/search?query=apple');
    expect((found.json['results'] as { symbol: string }[])[0]).toMatchObject({ symbol: 'AAPL', match: 'word' });
    const csv = 'symbol,kind,tick_size,lot_size,name,venue\nACME,equity,0.01,1,Acme Rocket Corp,XNYS\n';
    await new InstrumentMaster(r.pool).upsert(parseInstrumentCsv('acme.csv', csv).rows);
    await until(async () => ((await r.get('/api/v1/instruments/search?query=rocket')).json['results'] as unknown[]).length || undefined, 'the imported instrument searchable', 10_000);
    expect((await r.get('/api/v1/instruments/ACME')).json).toMatchObject({ symbol: 'ACME', venue: 'XNYS', source: 'import:acme.csv' });

    for (const [path, status, what] of [
      ['/api/v1/instruments/search', 400, /query/],
      ['/api/v1/instruments/search?query=a&bogus=1', 400, /bogus/],
      ['/api/v1/market/candles/AAPL?interval=2m', 400, /interval/],
      ['/api/v1/market/candles/AAPL?from=yesterday', 400, /from: "yesterday" is not ISO 8601/],
      ['/api/v1/market/candles/AAPL?from=2026-03-03&to=2026-03-02', 400, /from must be before to/],
      ['/api/v1/market/candles/NOPE', 404, /unknown instrument "NOPE"/],
      ['/api/v1/market/quote/NOPE', 404, /unknown instrument/],
    ] as const) {
      const res = await r.get(path);
      expect([path, res.status]).toEqual([path, status]);
      expect(String(res.json['message'])).toMatch(what);
    }
    const metrics = await (await fetch(`${r.base}/metrics`)).text();
    expect(metrics).toMatch(/hft_market_requests_refused_total\{route="candles",reason="bad_request"[^}]*\} 3/);
    expect(metrics).toMatch(/hft_market_requests_refused_total\{route="search",reason="bad_request"[^}]*\} 2/);
  });
});
