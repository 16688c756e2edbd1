import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { openTickSource } from '../open-tick-source.js';
import type { RowErrorReason } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import type { FileSpec } from '../tick-source.js';
import { TickMerger } from '../tick-merger.js';
import type { BadRow } from '../tick-stream.js';
import { ColumnsBuilder, encodePartition } from './catalog-columns.js';
import { partitionPath } from './catalog-layout.js';

export interface ImportedPartition {
  symbol: string;
  date: string;
  rows: number;
  /** written: new or different content; unchanged: the file already held exactly these ticks. */
  status: 'written' | 'unchanged';
  path: string;
}

export interface CatalogImportReport {
  files: string[];
  ticks: number;
  badRows: number;
  badRowsByReason: Partial<Record<RowErrorReason, number>>;
  /** The first bad rows, with where they were. */
  bad: BadRow[];
  partitions: ImportedPartition[];
}

const DAY = 86_400;

/**
 * Convert tick files (any format the replay reads) into catalog partitions, one per symbol and UTC
 * day. A partition holds exactly what this import's files have for that symbol and day: importing
 * the same files again leaves every file as it was (`unchanged`); an import with other ticks of that
 * symbol and day replaces it (so files of one day that share symbols are imported together). Bad rows
 * are left out and reported, as the replay does (`strict` aborts instead).
 */
export async function importToCatalog(specs: FileSpec[], instruments: ReplayInstruments, root: string, opts: { strict?: boolean; keepBad?: number } = {}): Promise<CatalogImportReport> {
  const report: CatalogImportReport = { files: specs.map((s) => s.path), ticks: 0, badRows: 0, badRowsByReason: {}, bad: [], partitions: [] };
  const onBadRow = (b: BadRow): void => {
    report.badRows++;
    report.badRowsByReason[b.reason] = (report.badRowsByReason[b.reason] ?? 0) + 1;
    if (report.bad.length < (opts.keepBad ?? 50)) report.bad.push(b);
  };
  const sources = specs.map((s) => openTickSource(s, instruments, { strict: opts.strict ?? false, onBadRow, chunkBytes: 1 << 20 }));
  const merger = new TickMerger(sources, 8192);
  // Per symbol, per day (epoch day number): the ticks in arrival order.
  const parts = new Map<number, Map<number, ColumnsBuilder>>();
  const contributors = new Map<ColumnsBuilder, Set<number>>();
  try {
    for (;;) {
      const t = merger.take();
      if (t === null) {
        if (await merger.refill()) continue;
        break;
      }
      const day = Math.floor(t.sec / DAY);
      let bySym = parts.get(t.sym);
      if (!bySym) parts.set(t.sym, (bySym = new Map()));
      let b = bySym.get(day);
      if (!b) {
        bySym.set(day, (b = new ColumnsBuilder()));
        contributors.set(b, new Set());
      }
      b.push(t, report.ticks++);
      contributors.get(b)!.add(merger.lastSource);
    }
  } finally {
    merger.close();
  }
  const names = specs.map((s) => basename(s.path));
  for (const [sym, byDay] of parts) {
    const inst = instruments.list[sym]!;
    for (const [day, b] of [...byDay].sort((x, y) => x[0] - y[0])) {
      const date = new Date(day * DAY * 1000).toISOString().slice(0, 10);
      const sources = [...contributors.get(b)!].sort((x, y) => x - y).map((i) => names[i]!);
      const bytes = encodePartition(b.build(), { symbol: inst.symbol, date, priceDecimals: inst.priceDecimals, qtyDecimals: inst.qtyDecimals, rows: b.length, sources });
      const path = partitionPath(root, inst.symbol, date);
      const same = existsSync(path) && Buffer.from(bytes).equals(readFileSync(path));
      if (!same) {
        mkdirSync(dirname(path), { recursive: true });
        // A reader never sees half a file: write beside it, then rename over it.
        writeFileSync(`${path}.tmp`, bytes);
        renameSync(`${path}.tmp`, path);
      }
      report.partitions.push({ symbol: inst.symbol, date, rows: b.length, status: same ? 'unchanged' : 'written', path });
    }
  }
  report.partitions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.symbol < b.symbol ? -1 : 1));
  return report;
}
