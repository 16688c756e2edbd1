import { statSync } from 'node:fs';
import { CatalogSource } from './catalog/catalog-source.js';
import { isCatalog } from './catalog/catalog-layout.js';
import { ItchSource, isItchName } from './formats/itch-source.js';
import type { ReplayInstruments } from './replay-instruments.js';
import { TickSource, type FileSpec } from './tick-source.js';
import type { SourceOptions, TickStream } from './tick-stream.js';

/** The reader for one tick file: a catalog (a directory), ITCH (binary, by flag or by name) or one of the CSV formats. */
export function openTickSource(spec: FileSpec, instruments: ReplayInstruments, opts: SourceOptions): TickStream {
  if (spec.format === 'catalog' || (spec.format === 'auto' && isDirectory(spec.path) && isCatalog(spec.path))) {
    return new CatalogSource(spec.path, { ...(spec.symbols ? { symbols: spec.symbols } : {}), ...(spec.fromDate ? { fromDate: spec.fromDate } : {}), ...(spec.toDate ? { toDate: spec.toDate } : {}) }, instruments, opts);
  }
  if (spec.format === 'itch' || (spec.format === 'auto' && isItchName(spec.path))) return new ItchSource(spec, instruments, opts);
  return new TickSource(spec, instruments, opts);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
