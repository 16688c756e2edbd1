// Market services as the quant meets them: the five days before the sample backfilled into the candle
// store (twice: the second run changes nothing), an instrument file imported, then the sample replayed
// through the whole platform. Quotes, trades, candle history at every interval (against an aggregation
// of the files done here), search, the scanner's suggestions and a strategy that trades one (subscribing
// to its symbol at run time), the dashboard in Chromium, SSE candles filtered by instrument, and a
// backtest from the stored candles.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { launchBrowser } from './browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '@hft/config';
import { appMain } from '@hft/supervisor';
import { docExample, followSse, startTestPlatform, until, type TestPlatform } from '@hft/testing';

let P: TestPlatform;
const ROOT = workspaceRoot();
const HISTORY = join(ROOT, 'data', 'history', 'minutes-2026-02.csv');
const SAMPLE = join(ROOT, 'data', 'market_data.csv');
const NY = 'America/New_York';

beforeAll(async () => {
  P = await startTestPlatform({
    speed: '10',
    hold: ['market-data'],
    env: {
      HFT__MARKET_SERVICES__ENABLED: 'true',
      HFT__INSTRUMENT_MASTER__SOURCE: 'postgres',
      HFT__STRATEGY__ENABLED: '["scanner_momo"]',
      HFT__STRATEGY__PARAMS__SCANNER_MOMO__HOLD_MS: '60000',
      // Every ranked instrument is a suggestion here (the default publishes scores >= 0 only).
      HFT__MARKET_SERVICES__SCANNER__MIN_SCORE: '-1000',
    },
  });
}, 180_000);
afterAll(async () => {
  await P?.stop();
}, 60_000);

const hft = (...args: string[]): { status: number; out: string; err: string } => {
  const r = spawnSync(process.execPath, [appMain('cli'), ...args], { encoding: 'utf8', env: { ...process.env, ...P.env }, cwd: ROOT, timeout: 120_000 });
  return { status: r.status ?? -1, out: r.stdout, err: r.stderr };
};
const get = async <T = Record<string, unknown>>(path: string): Promise<T> => {
  const res = await fetch(P.url('monitoring', path));
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
};

interface Bar {
  startMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
  pv: number;
}
/** Fold trades or bars into buckets: the independent aggregation the API is checked against. */
function fold(rows: { ms: number; open: number; high: number; low: number; close: number; volume: number; trades: number; pv: number }[], bucket: (ms: number) => number): Bar[] {
  const out = new Map<number, Bar>();
  for (const r of rows) {
    const b = bucket(r.ms);
    const c = out.get(b);
    if (!c) out.set(b, { startMs: b, open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, trades: r.trades, pv: r.pv });
    else {
      c.high = Math.max(c.high, r.high);
      c.low = Math.min(c.low, r.low);
      c.close = r.close;
      c.volume += r.volume;
      c.trades += r.trades;
      c.pv += r.pv;
    }
  }
  return [...out.values()].sort((a, b) => a.startMs - b.startMs);
}
const sampleTrades = (symbol: string) =>
  readFileSync(SAMPLE, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[1] === symbol && f[2] === 'trade')
    .map((f) => {
      const px = Number(f[4]);
      const q = Number(f[5]);
      return { ms: Number(BigInt(f[0]!) / 1_000_000n), open: px, high: px, low: px, close: px, volume: q, trades: 1, pv: px * q };
    });
const historyBars = (symbol: string) =>
  readFileSync(HISTORY, 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split(','))
    .filter((f) => f[1] === symbol)
    .map((f) => ({ ms: Date.parse(f[0]!), open: Number(f[2]), high: Number(f[3]), low: Number(f[4]), close: Number(f[5]), volume: Number(f[6]), trades: Number(f[7]), pv: 0 }));
const nyDay = (ms: number): number => DateTime.fromMillis(ms, { zone: NY }).startOf('day').toMillis();
const tableDigest = async (): Promise<string> => (await P.db.query<{ d: string }>("SELECT count(*) || ':' || md5(string_agg(symbol || ts::text || open || high || low || close || volume || trades || turnover, ',' ORDER BY symbol, ts)) AS d FROM candles_1m")).rows[0]!.d;

describe('market services end to end (real daemons, Postgres with pg_partman, ZeroMQ, Chromium)', () => {
  it('backfill twice = once, import, replay; then quotes, trades, candles, search, scanner and a strategy trading a suggestion answer as documented', async () => {
    // Backfill: the history file, twice.
    const first = hft('backfill', HISTORY);
    expect(first.status).toBe(0);
    expect(first.out).toMatch(/13050 minutes of AAPL, BTC-USDT, MSFT, NVDA .*: 13050 inserted, 0 updated, 0 unchanged/);
    const before = await tableDigest();
    const second = hft('backfill', HISTORY, '--json');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject([{ file: 'minutes-2026-02.csv', kind: 'ohlcv', candles: 13050, inserted: 0, updated: 0, unchanged: 13050, badRows: 0 }]);
    expect(await tableDigest()).toBe(before);
    // The instrument master: a file of equities, ETFs, futures, FX and options, idempotently.
    expect(hft('instruments', 'import', join(ROOT, 'data', 'instruments', 'instruments.csv')).out).toMatch(/19 instruments: 19 inserted, 0 updated, 0 unchanged/);
    expect(hft('instruments', 'import', join(ROOT, 'data', 'instruments', 'instruments.csv')).out).toMatch(/19 instruments: 0 inserted, 0 updated, 19 unchanged/);

    // The replay, with live candles of MSFT alone on the SSE stream.
    const candleEvents = followSse(P.url('monitoring', '/api/stream/candles?instruments=MSFT'), 'candle');
    // wire-format.md's Python subscriber (pyzmq), as an outside client runs it: the first scan it hears.
    const pyCode = docExample('libs/messages/docs/wire-format.md', 'python-scanner').replace('tcp://127.0.0.1:5565', P.cfg.endpoints.scanner.connect);
    const py = spawn('/usr/bin/python3', ['-c', pyCode, '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let pyOut = '';
    let pyErr = '';
    py.stdout.on('data', (b: Buffer) => (pyOut += b.toString()));
    py.stderr.on('data', (b: Buffer) => (pyErr += b.toString()));
    const pyDone = new Promise<number>((res) => py.on('exit', (code) => res(code ?? -1)));
    await new Promise((res) => setTimeout(res, 1000)); // its SUB joins before the first scan (ZeroMQ's slow joiner)
    await P.startHeld('market-data');
    await until(async () => ((await P.metric('market-data', 'hft_md_replay_running')) === 0 ? true : undefined), 'the end of the replay', 120_000);
    candleEvents.close();
    expect(await pyDone, pyErr).toBe(0);
    expect(pyOut.trim()).toMatch(/^2026-03-02T14:3\d:00\.000Z 3 (AAPL|MSFT|NVDA) -?\d+(\.\d+)? -?\d+(\.\d+)?$/);
    expect(candleEvents.events.length).toBeGreaterThan(0);
    expect(new Set(candleEvents.events.map((e) => e['symbol']))).toEqual(new Set(['MSFT']));

    // Quote: live fields, the day from the stored minutes, the previous close from the backfill.
    const aapl = sampleTrades('AAPL');
    const prevClose = historyBars('AAPL').at(-1)!.close;
    const last = aapl.at(-1)!.close;
    const q = await until(async () => {
      const x = await get('/api/v1/market/quote/AAPL');
      return x['last'] === last ? x : undefined;
    }, 'the quote at the last AAPL trade', 20_000);
    expect(q).toMatchObject({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      tradingDay: '2026-03-02',
      last,
      lastSize: aapl.at(-1)!.volume,
      open: aapl[0]!.open,
      high: Math.max(...aapl.map((t) => t.high)),
      low: Math.min(...aapl.map((t) => t.low)),
      volume: aapl.reduce((a, t) => a + t.volume, 0),
      previousClose: prevClose,
      change: Math.round((last - prevClose) * 100) / 100,
    });
    expect(q['bid']).toEqual(expect.any(Number));
    expect(q['ask']).toEqual(expect.any(Number));
    expect(q['changePercent']).toBeCloseTo(((last - prevClose) / prevClose) * 100, 3);

    // Candle history at every interval against the files, aggregated here.
    const day = Date.UTC(2026, 2, 2, 5); // New York midnight, 2 March
    for (const [interval, bucket] of [
      ['1m', (ms: number) => Math.floor(ms / 60_000) * 60_000],
      ['5m', (ms: number) => Math.floor(ms / 300_000) * 300_000],
      ['1h', (ms: number) => Math.floor(ms / 3_600_000) * 3_600_000],
      ['1d', nyDay],
    ] as const) {
      const r = await get<{ interval: string; timezone: string; candles: { start: string; open: number; high: number; low: number; close: number; volume: number; trades: number; vwap: number }[] }>(`/api/v1/market/candles/AAPL?interval=${interval}&from=2026-03-02&to=2026-03-03`);
      expect(r).toMatchObject({ interval, timezone: NY });
      const want = fold(aapl, bucket);
      expect(r.candles.map((c) => [c.start, c.open, c.high, c.low, c.close, c.volume, c.trades])).toEqual(want.map((b) => [new Date(b.startMs).toISOString(), b.open, b.high, b.low, b.close, b.volume, b.trades]));
      r.candles.forEach((c, i) => expect(c.vwap).toBeCloseTo(want[i]!.pv / want[i]!.volume, 4));
    }
    // Days across the backfill and the replay: five stored trading days, then the replayed one.
    const days = await get<{ candles: { start: string; high: number; close: number; volume: number }[] }>(`/api/v1/market/candles/MSFT?interval=1d&from=2026-02-23&to=2026-03-03`);
    const wantDays = fold([...historyBars('MSFT'), ...sampleTrades('MSFT')], nyDay);
    expect(days.candles.map((c) => [c.start, c.high, c.close, c.volume])).toEqual(wantDays.map((b) => [new Date(b.startMs).toISOString(), b.high, b.close, b.volume]));
    expect(days.candles).toHaveLength(6);
    expect(new Date(days.candles.at(-1)!.start).getTime()).toBe(day);

    // A backfill of the replayed file finds the recorder's minutes already there, equal (one aggregation).
    const again = JSON.parse(hft('backfill', SAMPLE, '--json').out) as { inserted: number; updated: number; unchanged: number; candles: number }[];
    expect(again[0]!.updated).toBe(0);
    expect(again[0]!.inserted).toBeLessThanOrEqual(3); // the minute each symbol is still building live

    // Search: the symbol, prefixes, words of the name, near misses; imported kinds.
    const search = async (query: string, extra = '') => (await get<{ results: { symbol: string; kind: string; match: string }[] }>(`/api/v1/instruments/search?query=${encodeURIComponent(query)}${extra}`)).results;
    expect((await search('AAPL'))[0]).toMatchObject({ symbol: 'AAPL', kind: 'equity', match: 'exact' });
    expect((await search('aapl26')).every((h) => h.symbol.startsWith('AAPL26') && h.kind === 'option')).toBe(true);
    expect((await search('microsoft'))[0]).toMatchObject({ symbol: 'MSFT', match: 'word' });
    expect((await search('nvdia'))[0]).toMatchObject({ symbol: 'NVDA', match: 'fuzzy' });
    expect((await search('e-mini'))[0]!.kind).toBe('future');
    expect((await search('msft', '&kind=option')).map((h) => h.symbol)).toEqual(['MSFT260320C420', 'MSFT260320P400']);

    // The scanner: a scan per minute of exchange time; its breakout signal is the last price against
    // the five backfilled days' high (computed here from the file).
    const scan = await get<{ asOf: string; ranked: number; suggestions: { rank: number; symbol: string; last: number; signals: { breakout: number | null } }[]; all: { symbol: string; last: number; signals: { breakout: number | null } }[] }>('/api/v1/scanner/suggestions?all=true');
    expect(scan.asOf).toBe('2026-03-02T14:35:00.000Z');
    expect(scan.ranked).toBe(3);
    expect(scan.suggestions.map((s) => s.rank)).toEqual([1, 2, 3]);
    for (const s of scan.all) {
      const high = Math.max(...historyBars(s.symbol).map((b) => b.high));
      expect([s.symbol, s.signals.breakout]).toEqual([s.symbol, expect.closeTo(((s.last - high) / high) * 1e4, 2)]);
    }

    // The strategy subscribed to a suggested symbol at run time and traded it.
    expect(await P.metric('strategy', 'hft_strategy_signals_total', { strategy: 'scanner_momo', signal: 'subscribed' })).toBeGreaterThan(0);
    const trades = await until(async () => {
      const t = await get<{ symbol: string; side: string; strategy_id: string }[]>('/api/v1/trades?limit=50&strategy=scanner_momo');
      return t.length ? t : undefined;
    }, 'a fill of the scanner strategy', 20_000);
    expect(trades.length).toBeLessThanOrEqual(50);
    expect(trades.every((t) => t.strategy_id === 'scanner_momo' && ['AAPL', 'MSFT', 'NVDA'].includes(t.symbol))).toBe(true);
    expect((await get<unknown[]>(`/api/v1/trades?limit=1&strategy=scanner_momo&side=buy`)).length).toBe(1);
    const status = await (await fetch(P.url('strategy', '/api/strategies'))).json() as { id: string; symbols: string[]; stats: Record<string, number> }[];
    expect(status[0]).toMatchObject({ id: 'scanner_momo' });
    expect(status[0]!.stats['entries']).toBeGreaterThan(0);

    // Backtest from the stored candles (no tick file): the five backfilled days of MSFT.
    const bt = hft('backtest', '--candles', 'MSFT', '--from', '2026-02-23T00:00:00Z', '--to', '2026-02-28T00:00:00Z', '--strategies', 'meanrev_msft', '--json');
    expect(bt.status).toBe(0);
    const r = JSON.parse(bt.out) as { ticks: number; orders: number; strategies: { id: string }[] };
    expect(r.ticks).toBeGreaterThan(historyBars('MSFT').length * 3);
    expect(r.strategies.map((s) => s.id)).toEqual(['meanrev_msft']);
    // The same over REST, as a notebook asks for it.
    const dana = await P.login('dana');
    const res = await fetch(P.url('monitoring', '/api/backtest'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dana}` },
      body: JSON.stringify({ candles: { symbols: ['MSFT'], from: '2026-02-23T00:00:00Z', to: '2026-02-28T00:00:00Z' }, strategies: ['meanrev_msft'] }),
    });
    const rest = (await res.json()) as { ticks: number; orders: number };
    expect(res.status, JSON.stringify(rest)).toBe(200);
    expect({ ticks: rest.ticks, orders: rest.orders }).toEqual({ ticks: r.ticks, orders: r.orders });
  }, 300_000);

  it('README and data/README: the market-services session, the instrument and OHLCV examples work as written', () => {
    const script = docExample('README.md', 'market-services').replaceAll('http://127.0.0.1:9090', P.url('monitoring', ''));
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toEqual([{ symbol: 'MSFT', kind: 'equity', match: 'word' }]);
    expect(lines[1]).toMatchObject({ symbol: 'AAPL', tradingDay: '2026-03-02', previousClose: historyBars('AAPL').at(-1)!.close });
    expect(lines[2]).toMatchObject({ start: '2026-03-02T14:30:00.000Z' });
    expect(lines[3]).toEqual(['2026-02-23', '2026-02-24', '2026-02-25', '2026-02-26', '2026-02-27', '2026-03-02']);
    expect(lines[4]).toMatchObject({ asOf: '2026-03-02T14:35:00.000Z', ranked: 3 });
    expect(lines[5]).toBe(true);
    const refusal = readFileSync(join(ROOT, 'README.md'), 'utf8').match(/The last line shows a refusal: `(.*)`/)![1]!;
    expect(lines[6]).toEqual(JSON.parse(refusal));

    const dir = mkdtempSync(join(tmpdir(), 'docs-'));
    const instruments = join(dir, 'instruments.csv');
    writeFileSync(instruments, docExample('data/README.md', 'instruments'));
    const imported = hft('instruments', 'import', instruments);
    expect(imported.status).toBe(1);
    const documented = readFileSync(join(ROOT, 'data', 'README.md'), 'utf8').match(/and all four are `unchanged`:\n\n```\n([\s\S]*?)```/)![1]!;
    expect(imported.out).toBe(documented);
    expect(hft('instruments', 'import', instruments).out).toMatch(/4 instruments: 0 inserted, 0 updated, 4 unchanged/);
    const bars = join(dir, 'bars.csv');
    writeFileSync(bars, docExample('data/README.md', 'ohlcv'));
    const once = hft('backfill', bars, '--json');
    expect(once.status).toBe(1);
    const report = (JSON.parse(once.out) as { inserted: number; bad: { line: number; why: string }[] }[])[0]!;
    expect(report.inserted).toBe(3);
    expect(report.bad.map((b) => [b.line, b.why.replace(/ \(.*$/, '')])).toEqual([
      [5, 'a 1-minute bar starts on a whole minute'],
      [6, 'low <= open, close <= high does not hold'],
    ]);
    expect((JSON.parse(hft('backfill', bars, '--json').out) as { unchanged: number }[])[0]!.unchanged).toBe(3);
  });

  it('the dashboard finds an instrument, shows its quote card and candle chart, and lists the suggestions (Chromium)', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(P.url('monitoring', '/dashboard'));
      await page.fill('#instrument-search', 'nvidia');
      await page.waitForSelector('#search-results li[data-symbol="NVDA"]', { timeout: 10_000 });
      await page.click('#search-results li[data-symbol="NVDA"]');
      await page.waitForSelector('#quote tbody[data-symbol="NVDA"]', { timeout: 10_000 });
      expect(await page.textContent('#quote')).toMatch(/previous close\s*\d+\.\d\d/);
      await until(async () => (Number(await page.getAttribute('#history-chart', 'data-candles')) > 0 ? true : undefined), 'the NVDA candle chart', 10_000);
      await page.selectOption('#interval', '1d');
      await until(async () => (Number(await page.getAttribute('#history-chart', 'data-candles')) === 6 ? true : undefined), 'the chart at 1d (five backfilled days and the replayed one)', 10_000);
      await until(async () => ((await page.locator('#scanner tr').count()) === 3 ? true : undefined), 'the scanner table', 10_000);
      expect(pageErrors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
