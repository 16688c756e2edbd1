import { ItchSource, isItchName } from './formats/itch-source.js';
import type { ReplayInstruments } from './replay-instruments.js';
import { TickSource, type FileSpec } from './tick-source.js';
import type { SourceOptions, TickStream } from './tick-stream.js';

/** The reader for one tick file: ITCH (binary, by flag or by name) or one of the CSV formats. */
export function openTickSource(spec: FileSpec, instruments: ReplayInstruments, opts: SourceOptions): TickStream {
  if (spec.format === 'itch' || (spec.format === 'auto' && isItchName(spec.path))) return new ItchSource(spec, instruments, opts);
  return new TickSource(spec, instruments, opts);
}
