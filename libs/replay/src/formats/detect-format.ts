import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { TickFormat } from '@hft/config';
import { ERR_MD_FILE_EMPTY, ERR_MD_FORMAT_UNKNOWN } from '../errors.js';
import { isHftHeader } from './hft-format.js';
import { LOBSTER_NAME } from './lobster-format.js';
import { isOptionQuotesHeader } from './option-quotes-format.js';

export type ConcreteFormat = Exclude<TickFormat, 'auto'>;

export interface Detected {
  format: ConcreteFormat;
  /** The first line split on commas (the header for formats that have one). */
  firstFields: string[];
  /** Binance files may or may not start with a header. */
  hasHeader: boolean;
}

/** First line of a file without reading the rest. */
export function firstLine(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, n).replace(/^\uFEFF/, '');
    return text.split(/\r?\n/)[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

const numeric = (s: string): boolean => /^-?\d+(\.\d+)?$/.test(s.trim());

/** Decide the format from the flag, or from the header / first row and the file name. */
export function detectFormat(path: string, flag: TickFormat): Detected {
  const line = firstLine(path);
  if (line.trim() === '') throw ERR_MD_FILE_EMPTY(path);
  const fields = line.split(',');
  const headerLike = fields.some((f) => f.trim() !== '' && !numeric(f) && !/^(true|false)$/i.test(f.trim()));
  if (flag !== 'auto') return { format: flag, firstFields: fields, hasHeader: flag === 'hft' || flag === 'option-quotes' || (flag !== 'lobster' && headerLike) };
  if (isHftHeader(fields)) return { format: 'hft', firstFields: fields, hasHeader: true };
  if (isOptionQuotesHeader(fields)) return { format: 'option-quotes', firstFields: fields, hasHeader: true };
  if (LOBSTER_NAME.test(basename(path)) && fields.length === 6) return { format: 'lobster', firstFields: fields, hasHeader: false };
  const names = fields.map((f) => f.trim().toLowerCase());
  if (headerLike) {
    if (names.includes('agg_trade_id') || names.includes('first_trade_id')) return { format: 'binance-aggtrades', firstFields: fields, hasHeader: true };
    if (names.includes('quote_qty') && names.includes('is_buyer_maker')) return { format: 'binance-trades', firstFields: fields, hasHeader: true };
    throw ERR_MD_FORMAT_UNKNOWN(path, line);
  }
  if (fields.length === 7) return { format: 'binance-trades', firstFields: fields, hasHeader: false };
  if (fields.length === 8) return { format: 'binance-aggtrades', firstFields: fields, hasHeader: false };
  throw ERR_MD_FORMAT_UNKNOWN(path, line);
}
