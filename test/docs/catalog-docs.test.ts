// README "The tick catalog", run as a quant would: the CLI session (import twice, list, a replay and a
// backtest of the catalog directory) and the pandas and DuckDB one-liners over the files it wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '@hft/config';
import { docExample, freePorts, platformEnv } from '@hft/testing';

const ROOT = workspaceRoot();
const PYTHON = join(ROOT, '.run', 'python', 'bin', 'python');

describe('README: the tick catalog', () => {
  it('the CLI session works as written, and pandas and DuckDB read what it wrote', async () => {
    const catalog = join(mkdtempSync(join(tmpdir(), 'catalog-docs-')), 'catalog');
    const p = await platformEnv();
    const [t, b, a] = await freePorts(3);
    // The documented paths, pointed at a fresh directory; market-data on sockets of its own.
    const env = { ...process.env, ...p.env, HFT__CATALOG__ROOT: catalog, HFT__ENDPOINTS__TICKS__BIND: `tcp://127.0.0.1:${t}`, HFT__ENDPOINTS__BOOKS__BIND: `tcp://127.0.0.1:${b}`, HFT__ENDPOINTS__ANALYTICS__BIND: `tcp://127.0.0.1:${a}`, HFT__MARKET_DATA__HTTP_PORT: '0' };
    const script = docExample('README.md', 'catalog').replaceAll('data/catalog', catalog);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: ROOT, encoding: 'utf8', env, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.trim().split('\n');
    expect(out[0]).toMatch(new RegExp(`^117808 ticks from 3 files in [\\d.]+ s -> ${catalog}: 164 partitions, 164 written, 0 unchanged$`));
    expect(JSON.parse(out[1]!)).toEqual([117808, ['unchanged']]);
    expect(out[2]).toMatch(new RegExp(`^${catalog}: 2 partitions, \\d+ ticks$`));
    expect(out[4]).toMatch(/^AAPL\s+2026-03-02\s+\d+\s+\d+\s+market_data\.csv$/);
    expect(out[5]).toMatch(/^MSFT\s+2026-03-02\s+\d+\s+\d+\s+market_data\.csv$/);
    const aaplRows = Number(/^AAPL\s+\S+\s+(\d+)/.exec(out[4]!)![1]);
    expect(JSON.parse(out[6]!)).toEqual({ ticks: aaplRows, badRows: 0 });
    expect(JSON.parse(out[7]!)).toMatchObject({ ticks: 117808, strategies: ['mm_aapl'] });

    const python = (name: string): string => {
      const py = spawnSync(PYTHON, ['-c', docExample('README.md', name).replaceAll('data/catalog', catalog)], { encoding: 'utf8', timeout: 60_000 });
      expect(py.status, py.stderr).toBe(0);
      return py.stdout;
    };
    // pandas: trades of AAPL per day, with the count the catalog holds.
    const pandas = python('catalog-pandas');
    expect(pandas).toMatch(/2026-03-02\s+\d+\s+18\d\.\d+\s+18\d\.\d+/);
    // DuckDB: a row each for AAPL and MSFT with the VWAP of their trades.
    const duck = python('catalog-duckdb');
    expect(duck).toMatch(/│ AAPL\s+│\s+\d+ │\s+18\d\.\d+ │/);
    expect(duck).toMatch(/│ MSFT\s+│\s+\d+ │\s+4\d\d\.\d+ │/);
  }, 180_000);
});
