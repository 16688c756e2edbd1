import { resolve } from 'node:path';
import type { FileSpec } from '@hft/replay';

/** A user's tick-file argument, `path` or `path@SYMBOL` (symbol-less formats), relative to where they typed it. */
export function fileArg(f: string): FileSpec {
  const at = f.lastIndexOf('@');
  return at > 0 ? { path: resolve(f.slice(0, at)), symbol: f.slice(at + 1), format: 'auto' } : { path: resolve(f), format: 'auto' };
}
