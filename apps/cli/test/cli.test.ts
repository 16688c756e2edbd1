// The `hft` command as a user runs it: a real process, real config loading, real services.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '@hft/config';
import { freePorts, platformEnv } from '@hft/testing';

const main = join(workspaceRoot(), 'apps', 'cli', 'dist', 'src', 'main.js');
function hft(args: string[], env: Record<string, string> = {}): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [main, ...args], { cwd: workspaceRoot(), encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'warn', ...env }, timeout: 120_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('hft (real process)', () => {
  it('doctor names every missing piece and exits 1 when nothing runs', async () => {
    const p = await platformEnv();
    const [redisPort, pgPort] = await freePorts(2);
    const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
    const r = hft(['doctor'], {
      ...p.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
      DATABASE_URL: `postgres://hft@127.0.0.1:${pgPort}/hft`,
      HFT__SECURITY__PRIVATE_KEY_FILE: join(dir, 'missing.pem'),
      HFT__SECURITY__USERS_FILE: join(dir, 'users.json'),
    });
    expect(r.status).toBe(1);
    const fails = r.out.split('\n').filter((l) => l.startsWith('FAIL')).map((l) => l.slice(6, 28).trim());
    expect(fails).toEqual(
      expect.arrayContaining(['redis', 'postgres', 'signing key', 'users file', 'daemon risk', 'daemon oms', 'daemon market-data', 'zmq ticks', 'zmq control']),
    );
    expect(r.out).toContain(`127.0.0.1:${redisPort}/0 unreachable`);
    expect(r.out).toMatch(/not answering on :\d+\/health/);
  });

  it('doctor reports the shared Redis and Postgres as fine when they run', async () => {
    const p = await platformEnv();
    const r = hft(['doctor'], p.env);
    expect(r.out).toMatch(/^ok\s+redis\s/m);
    expect(r.out).toMatch(/^ok\s+postgres\s/m);
    expect(r.status).toBe(1); // no daemons in this private set of ports
  });

  it('catalog import lists the bad rows it left out and exits 1; list shows what it wrote; no file is a clear refusal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-catalog-'));
    const file = join(dir, 'ticks.csv');
    writeFileSync(file, ['ts,symbol,type,side,price,qty', '1772461800000000000,AAPL,trade,buy,187.40,5', '1772461800000000001,NOPE,trade,buy,1,1'].join('\n'));
    const env = { HFT__INSTRUMENT_MASTER__SOURCE: 'config', HFT__CATALOG__ROOT: join(dir, 'catalog') };
    const imported = hft(['catalog', 'import', file], env);
    expect(imported.status).toBe(1);
    expect(imported.out).toMatch(/^1 ticks from 1 file in [\d.]+ s -> .*catalog: 1 partitions, 1 written, 0 unchanged; 1 bad rows left out$/m);
    expect(imported.out).toMatch(/ticks\.csv:3: unknown_symbol: symbol "NOPE" is not in \[\[instruments\]\]/);
    const list = JSON.parse(hft(['catalog', 'list', '--json'], env).out) as { partitions: { symbol: string; date: string; rows: number; sources: string[] }[] };
    expect(list.partitions.map((p) => [p.symbol, p.date, p.rows, p.sources])).toEqual([['AAPL', '2026-03-02', 1, ['ticks.csv']]]);
    const none = hft(['catalog', 'import'], env);
    expect(none.status).toBe(2);
    expect(none.err).toContain('hft catalog import needs at least one tick file');
  });

  it('backtest --json replays the sample through a strategy deterministically', () => {
    const run = () => hft(['backtest', 'data/market_data.csv', '--strategies', 'mm_aapl', '--json']);
    const a = run();
    expect(a.err).toBe('');
    expect(a.status).toBe(0);
    const ra = JSON.parse(a.out) as { ticks: number; orders: number; fills: number; strategies: { id: string; pnl: number }[]; fillLog?: unknown[]; wallSeconds?: number; report: string; tickToTrade: { count: number } };
    expect(ra.ticks).toBeGreaterThan(10_000);
    expect(ra.orders).toBeGreaterThan(0);
    expect(ra.strategies.map((s) => s.id)).toEqual(['mm_aapl']);
    const rb = JSON.parse(run().out) as typeof ra;
    // The wall clock's share (duration, tick-to-trade timings) and each run's own report file aside.
    const strip = (r: typeof ra) => ({ ...r, wallSeconds: 0, tickToTrade: { count: r.tickToTrade.count }, report: '' });
    expect(strip(rb)).toEqual(strip(ra));
    expect(readFileSync(ra.report, 'utf8')).toContain('<h2>Tick-to-trade</h2>');
  });

  it('refuses unknown strategies and commands with a clear message and exit 2', () => {
    const a = hft(['backtest', '--strategies', 'nope']);
    expect(a.status).toBe(2);
    expect(a.err).toContain('no [strategy.params.nope] in the config');
    const b = hft(['frobnicate']);
    expect(b.status).toBe(2);
    expect(b.err).toContain('Unknown argument: frobnicate');
  });
});
