import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** One symbol's ticks of one UTC day: `<root>/ticks/symbol=<SYMBOL>/date=<YYYY-MM-DD>/part-0.parquet`. */
export interface Partition {
  symbol: string;
  date: string;
  path: string;
  bytes: number;
}

/** What a replay takes from a catalog: some symbols, some days (inclusive), or everything. */
export interface CatalogSelection {
  symbols?: readonly string[];
  fromDate?: string;
  toDate?: string;
}

// Hive-style directory names: pandas/pyarrow, polars and DuckDB turn them into symbol and date columns.
const SYMBOL_DIR = /^symbol=(.+)$/;
const DATE_DIR = /^date=(\d{4}-\d{2}-\d{2})$/;
export const PARTITION_FILE = 'part-0.parquet';

export function partitionPath(root: string, symbol: string, date: string): string {
  return join(root, 'ticks', `symbol=${symbol}`, `date=${date}`, PARTITION_FILE);
}

/** A directory is a catalog when it has the ticks/ folder the importer writes. */
export function isCatalog(path: string): boolean {
  return existsSync(join(path, 'ticks')) && statSync(join(path, 'ticks')).isDirectory();
}

/** The partitions under `root` that `sel` takes, by date then symbol. */
export function listPartitions(root: string, sel: CatalogSelection = {}): Partition[] {
  const ticks = join(root, 'ticks');
  if (!existsSync(ticks)) return [];
  const wanted = sel.symbols ? new Set(sel.symbols) : null;
  const out: Partition[] = [];
  for (const s of readdirSync(ticks)) {
    const symbol = SYMBOL_DIR.exec(s)?.[1];
    if (!symbol || (wanted && !wanted.has(symbol))) continue;
    for (const d of readdirSync(join(ticks, s))) {
      const date = DATE_DIR.exec(d)?.[1];
      if (!date || (sel.fromDate && date < sel.fromDate) || (sel.toDate && date > sel.toDate)) continue;
      const path = join(ticks, s, d, PARTITION_FILE);
      if (existsSync(path)) out.push({ symbol, date, path, bytes: statSync(path).size });
    }
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
