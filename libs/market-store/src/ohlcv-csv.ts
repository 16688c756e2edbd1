import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { InstrumentRegistry } from '@hft/config';
import { parseUnits, unitsProblem } from '@hft/replay';
import type { StoredCandle } from './candle-store.js';
import { ERR_CSV_HEADER } from './errors.js';

/** 1-minute OHLCV bars (data/README.md "Candles"): these columns first, then optionally trades and vwap. */
export const OHLCV_COLUMNS = ['ts', 'symbol', 'open', 'high', 'low', 'close', 'volume'] as const;
const OPTIONAL = ['trades', 'vwap'] as const;

export interface BadBar {
  line: number;
  column: string;
  value: string;
  why: string;
}

export function isOhlcvHeader(firstLine: string): boolean {
  return firstLine.trim().toLowerCase().startsWith(OHLCV_COLUMNS.join(','));
}

/** ISO 8601 with a zone, or epoch seconds / milliseconds / nanoseconds (10 / 13 / 19 digits), to epoch ms. */
function parseBarTime(s: string): number | null {
  if (/^\d{10}$/.test(s)) return Number(s) * 1000;
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/^\d{19}$/.test(s)) return Number(BigInt(s) / 1_000_000n) + (BigInt(s) % 1_000_000n === 0n ? 0 : 0.5);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const ms = Date.parse(s.replace(' ', 'T'));
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

/**
 * Parse a 1-minute OHLCV file into candles in instrument units. Bad rows (unknown symbol, a time
 * that is not a whole minute, a price off the instrument's grid, high below low...) are reported
 * with line and column and left out; a minute given twice for a symbol keeps the first.
 */
export function parseOhlcvCsv(path: string, registry: InstrumentRegistry, text = readFileSync(path, 'utf8')): { candles: StoredCandle[]; bad: BadBar[] } {
  const file = basename(path);
  const records = parse(text, { columns: false, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const header = records.shift()?.record.map((c) => c.toLowerCase());
  if (!header || OHLCV_COLUMNS.some((c, i) => header[i] !== c)) throw ERR_CSV_HEADER(file, `expected the header ${OHLCV_COLUMNS.join(',')}[,trades][,vwap]`);
  const extra = header.slice(OHLCV_COLUMNS.length);
  const unknown = extra.filter((c) => !(OPTIONAL as readonly string[]).includes(c));
  if (unknown.length) throw ERR_CSV_HEADER(file, `unknown column(s) ${unknown.join(', ')} (after ${OHLCV_COLUMNS.join(',')} come trades and vwap)`);
  const candles: StoredCandle[] = [];
  const bad: BadBar[] = [];
  const seen = new Set<string>();
  for (const { record, info } of records) {
    const line = info.lines;
    const fail = (column: string, value: string, why: string): void => void bad.push({ line, column, value: value.slice(0, 80), why });
    if (record.length !== header.length) {
      fail('*', record.join(','), `${record.length} fields, the header has ${header.length}`);
      continue;
    }
    const f = Object.fromEntries(header.map((c, i) => [c, record[i]!])) as Record<string, string>;
    const startMs = parseBarTime(f['ts']!);
    if (startMs === null) { fail('ts', f['ts']!, 'expected ISO 8601 with a zone (2026-03-02T14:30:00Z) or epoch s/ms/ns'); continue; }
    if (startMs % 60_000 !== 0) { fail('ts', f['ts']!, 'a 1-minute bar starts on a whole minute'); continue; }
    const inst = registry.find(f['symbol']!);
    if (!inst) { fail('symbol', f['symbol']!, 'not in the instrument master (hft instruments import) or [[instruments]]'); continue; }
    const units: Record<string, number> = {};
    let ok = true;
    for (const c of ['open', 'high', 'low', 'close'] as const) {
      const u = parseUnits(f[c]!, inst.priceDecimals);
      if (!Number.isFinite(u) || u <= 0) { fail(c, f[c]!, Number.isFinite(u) ? 'prices are positive' : unitsProblem(f[c]!, inst.priceDecimals).detail); ok = false; break; }
      if (u % inst.tickUnits !== 0) { fail(c, f[c]!, `not on the tick of ${inst.tickUnits / inst.priceScale}`); ok = false; break; }
      units[c] = u;
    }
    if (!ok) continue;
    const volume = parseUnits(f['volume']!, inst.qtyDecimals);
    if (!Number.isFinite(volume) || volume < 0) { fail('volume', f['volume']!, Number.isFinite(volume) ? 'volume is not negative' : unitsProblem(f['volume']!, inst.qtyDecimals).detail); continue; }
    const { open, high, low, close } = units as { open: number; high: number; low: number; close: number };
    if (low > Math.min(open, close) || high < Math.max(open, close)) { fail('high', f['high']!, 'low <= open, close <= high does not hold'); continue; }
    const trades = f['trades'] === undefined || f['trades'] === '' ? (volume > 0 ? 1 : 0) : Number(f['trades']);
    if (!Number.isInteger(trades) || trades < 0) { fail('trades', f['trades']!, 'expected a whole number'); continue; }
    const vwap = f['vwap'] === undefined || f['vwap'] === '' ? null : Number(f['vwap']);
    if (vwap !== null && !(vwap > 0)) { fail('vwap', f['vwap']!, 'expected a positive price'); continue; }
    const key = `${inst.symbol}@${startMs}`;
    if (seen.has(key)) { fail('ts', f['ts']!, `${inst.symbol} has this minute earlier in the file`); continue; }
    seen.add(key);
    // Without a vwap column the bar's typical price stands in for it.
    const px = vwap ?? (high + low + close) / 3 / inst.priceScale;
    candles.push({ symbol: inst.symbol, startMs, open, high, low, close, volume, trades, turnover: (px * volume) / inst.qtyScale });
  }
  return { candles, bad };
}
