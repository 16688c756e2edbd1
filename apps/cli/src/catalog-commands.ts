import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { fromRoot, type PlatformConfig } from '@hft/config';
import { createLogger } from '@hft/logging';
import { loadInstruments } from '@hft/market-store';
import { importToCatalog, listPartitions, readPartitionMeta, ReplayInstruments } from '@hft/replay';
import { fileArg } from './file-arg.js';

const quiet = () => createLogger({ daemon: 'cli', destination: new PassThrough() });

/** The catalog's directory: --root, else `[catalog] root` (from the repository root). */
export function catalogRoot(cfg: PlatformConfig, root: string | undefined): string {
  return root ? resolve(root) : fromRoot(cfg.catalog.root);
}

/** `hft catalog import FILE...`: tick files (any replay format) into Parquet partitions by symbol and day. Exit 1 when rows were left out. */
export async function catalogImport(cfg: PlatformConfig, files: string[], o: { root?: string; json: boolean; strict: boolean }): Promise<number> {
  const root = catalogRoot(cfg, o.root);
  const instruments = new ReplayInstruments(await loadInstruments(cfg, quiet()));
  const specs = files.map(fileArg);
  const t0 = performance.now();
  const r = await importToCatalog(specs, instruments, root, { strict: o.strict });
  const seconds = (performance.now() - t0) / 1000;
  if (o.json) process.stdout.write(`${JSON.stringify({ root, seconds: +seconds.toFixed(3), ...r })}\n`);
  else {
    const written = r.partitions.filter((p) => p.status === 'written').length;
    process.stdout.write(`${r.ticks} ticks from ${files.length} file${files.length === 1 ? '' : 's'} in ${seconds.toFixed(1)} s -> ${root}: ${r.partitions.length} partitions, ${written} written, ${r.partitions.length - written} unchanged${r.badRows ? `; ${r.badRows} bad rows left out` : ''}\n`);
    for (const b of r.bad.slice(0, 20)) process.stdout.write(`  ${relative(process.cwd(), b.file)}:${b.line}: ${b.reason}: ${b.detail}\n`);
    if (r.badRows > 20) process.stdout.write(`  ... and ${r.badRows - 20} more (--json lists the first 50)\n`);
  }
  return r.badRows > 0 ? 1 : 0;
}

/** `hft catalog list`: every partition with its rows and where its ticks came from. */
export function catalogList(cfg: PlatformConfig, o: { root?: string; symbols?: string[]; json: boolean }): number {
  const root = catalogRoot(cfg, o.root);
  const parts = listPartitions(root, o.symbols ? { symbols: o.symbols } : {}).map((p) => {
    const m = readPartitionMeta(readFileSync(p.path));
    return { symbol: p.symbol, date: p.date, rows: m.rows, bytes: p.bytes, sources: m.sources, path: p.path };
  });
  if (o.json) process.stdout.write(`${JSON.stringify({ root, partitions: parts })}\n`);
  else if (parts.length === 0) process.stdout.write(`${root}: no partitions (hft catalog import FILE... adds some)\n`);
  else {
    process.stdout.write(`${root}: ${parts.length} partitions, ${parts.reduce((n, p) => n + p.rows, 0)} ticks\n`);
    const w = Math.max(6, ...parts.map((p) => p.symbol.length));
    process.stdout.write(`${'symbol'.padEnd(w)}  date        ${'rows'.padStart(9)}  ${'bytes'.padStart(10)}  sources\n`);
    for (const p of parts) process.stdout.write(`${p.symbol.padEnd(w)}  ${p.date}  ${String(p.rows).padStart(9)}  ${String(p.bytes).padStart(10)}  ${p.sources.join(', ')}\n`);
  }
  return 0;
}
