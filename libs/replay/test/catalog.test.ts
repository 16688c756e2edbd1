import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { CatalogSource, importToCatalog, listPartitions, openTickSource, ReplayInstruments, TickMerger, type BadRow, type FileSpec, type RawTick, type TickStream } from '../src/index.js';

const root = workspaceRoot();
const instruments = new ReplayInstruments(InstrumentRegistry.fromConfig(loadConfig({ path: join(root, 'config', 'platform.toml'), env: {} })));
const SAMPLES: FileSpec[] = [
  { path: join(root, 'data', 'market_data.csv'), format: 'auto' },
  { path: join(root, 'data', 'btc.csv'), format: 'binance-trades', symbol: 'BTC-USDT' },
  { path: join(root, 'data', 'aapl_options.csv'), format: 'auto' },
  { path: join(root, 'data', 'itch', '03022026.NASDAQ_ITCH50'), format: 'auto' },
];

/** Every tick as a plain copy (catalog ticks are reused objects). */
async function readAll(sources: TickStream[]): Promise<RawTick[]> {
  const m = new TickMerger(sources);
  const out: RawTick[] = [];
  for (;;) {
    const t = m.take();
    if (t) out.push({ ...t, more: t.more ?? false });
    else if (!(await m.refill())) return out;
  }
}

const noBad = { strict: false, onBadRow: (b: BadRow) => expect.fail(`${b.file}:${b.line} ${b.reason} ${b.detail}`) };

describe('tick catalog', () => {
  it('replays exactly the ticks of the files it was imported from, in the same order, and a second import changes nothing', async () => {
    const cat = mkdtempSync(join(tmpdir(), 'catalog-'));
    const first = await importToCatalog(SAMPLES, instruments, cat);
    expect(first.badRows).toBe(0);
    expect(first.partitions.length).toBeGreaterThan(10);
    expect(first.partitions.every((p) => p.status === 'written')).toBe(true);
    expect(first.partitions.map((p) => p.date)).toContain('2026-03-02');
    const fromCsv = await readAll(SAMPLES.map((s) => openTickSource(s, instruments, noBad)));
    expect(first.ticks).toBe(fromCsv.length);
    const fromCatalog = await readAll([openTickSource({ path: cat, format: 'auto' }, instruments, noBad)]);
    expect(fromCatalog.length).toBe(fromCsv.length);
    // Field by field (toEqual on 100k objects would print nothing useful): the first difference, if any.
    const diff = fromCsv.findIndex((t, i) => JSON.stringify(t) !== JSON.stringify(fromCatalog[i]));
    expect(diff === -1 ? null : { at: diff, csv: fromCsv[diff], catalog: fromCatalog[diff] }).toBeNull();

    const mtimes = first.partitions.map((p) => statSync(p.path).mtimeMs);
    const again = await importToCatalog(SAMPLES, instruments, cat);
    expect(again.partitions.map((p) => p.status)).toEqual(first.partitions.map(() => 'unchanged'));
    expect(again.partitions.map((p) => statSync(p.path).mtimeMs)).toEqual(mtimes);
  });

  it('reads only the symbols and days asked for', async () => {
    const cat = mkdtempSync(join(tmpdir(), 'catalog-'));
    await importToCatalog(SAMPLES.slice(0, 2), instruments, cat);
    const all = listPartitions(cat);
    expect(all.map((p) => p.symbol)).toEqual(expect.arrayContaining(['AAPL', 'MSFT', 'BTC-USDT']));
    const aapl = await readAll([new CatalogSource(cat, { symbols: ['AAPL'] }, instruments, noBad)]);
    expect(aapl.length).toBeGreaterThan(0);
    expect(new Set(aapl.map((t) => instruments.list[t.sym]!.symbol))).toEqual(new Set(['AAPL']));
    expect(() => new CatalogSource(cat, { symbols: ['AAPL'], fromDate: '2027-01-01' }, instruments, noBad)).toThrow(/has no partition of AAPL from 2027-01-01 to the end/);
  });

  it('reports the bad rows of an import with file and line and leaves them out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-src-'));
    const f = join(dir, 'bad.csv');
    writeFileSync(f, ['ts,symbol,type,side,price,qty', '1772461800000000000,AAPL,trade,buy,187.40,5', '1772461800000000001,NOPE,trade,buy,1,1', '1772461800000000002,AAPL,trade,buy,187.401,5', '1772461800000000003,AAPL,bid,,187.39,100'].join('\n'));
    const cat = mkdtempSync(join(tmpdir(), 'catalog-'));
    const r = await importToCatalog([{ path: f, format: 'auto' }], instruments, cat);
    expect(r.ticks).toBe(2);
    expect(r.badRowsByReason).toEqual({ unknown_symbol: 1, off_tick: 1 });
    expect(r.bad.map((b) => [b.line, b.reason])).toEqual([
      [3, 'unknown_symbol'],
      [4, 'off_tick'],
    ]);
    expect(r.partitions).toEqual([expect.objectContaining({ symbol: 'AAPL', date: '2026-03-02', rows: 2, status: 'written' })]);
  });

  it('a partition of a symbol the instruments lack is reported, not replayed; a damaged one is refused with its path', async () => {
    const cat = mkdtempSync(join(tmpdir(), 'catalog-'));
    await importToCatalog(SAMPLES.slice(0, 1), instruments, cat);
    const [p] = listPartitions(cat, { symbols: ['MSFT'] });
    const ghost = join(cat, 'ticks', 'symbol=GHOST', `date=${p!.date}`);
    mkdirSync(ghost, { recursive: true });
    copyFileSync(p!.path, join(ghost, 'part-0.parquet'));
    const bad: BadRow[] = [];
    const ticks = await readAll([new CatalogSource(cat, { symbols: ['GHOST', 'MSFT'] }, instruments, { strict: false, onBadRow: (b) => bad.push(b) })]);
    expect(ticks.length).toBeGreaterThan(0);
    expect(bad).toEqual([expect.objectContaining({ reason: 'unknown_symbol', file: join(ghost, 'part-0.parquet') })]);

    writeFileSync(p!.path, readFileSync(p!.path).subarray(0, 100));
    const src = new CatalogSource(cat, { symbols: ['MSFT'] }, instruments, noBad);
    await expect(src.next(10)).rejects.toThrow(new RegExp(`${p!.path.replaceAll('.', '\\.')}: not a readable catalog partition`));
  });
});
