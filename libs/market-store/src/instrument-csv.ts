import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';
import { INSTRUMENT_KINDS, isCalendarDate, isTimeZone, type InstrumentKind } from '@hft/config';
import { ERR_CSV_HEADER } from './errors.js';
import { rowToConfig, type InstrumentRow } from './instrument-row.js';

/** The import file's columns (data/README.md "Instrument master"); the first four are required. */
export const INSTRUMENT_COLUMNS = ['symbol', 'kind', 'tick_size', 'lot_size', 'name', 'venue', 'currency', 'timezone', 'price_decimals', 'qty_decimals', 'underlying', 'expiry', 'expiry_time', 'strike', 'right', 'multiplier'] as const;
const REQUIRED = INSTRUMENT_COLUMNS.slice(0, 4);

/** A refused row: where (line, column), what was there and why. */
export interface BadInstrumentRow {
  line: number;
  column: string;
  value: string;
  why: string;
}

const SYMBOL = /^[A-Z0-9][A-Z0-9._-]{0,15}$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/** Decimal places of a plain decimal ("0.01" -> 2, "5" -> 0). */
function places(s: string): number {
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1 - (/0+$/.exec(s.slice(dot + 1))?.[0].length ?? 0);
}

/**
 * Parse an instrument CSV (header row; the columns of INSTRUMENT_COLUMNS in any order). Each bad row
 * is reported and left out; good rows come back in file order. A later row of a symbol already seen
 * in the file is refused (the file must say one thing per symbol).
 */
export function parseInstrumentCsv(path: string, text = readFileSync(path, 'utf8')): { rows: InstrumentRow[]; bad: BadInstrumentRow[] } {
  const file = basename(path);
  const records = parse(text, { columns: false, skip_empty_lines: true, relax_column_count: true, trim: true, comment: '#', info: true }) as unknown as { record: string[]; info: { lines: number } }[];
  const header = records.shift();
  if (!header) throw ERR_CSV_HEADER(file, 'empty file: expected a header row naming the columns (data/README.md "Instrument master")');
  const cols = header.record.map((c) => c.toLowerCase());
  const unknown = cols.filter((c) => !(INSTRUMENT_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) throw ERR_CSV_HEADER(file, `unknown column(s) ${unknown.join(', ')} in the header (known: ${INSTRUMENT_COLUMNS.join(', ')})`);
  const missing = REQUIRED.filter((c) => !cols.includes(c));
  if (missing.length) throw ERR_CSV_HEADER(file, `the header lacks the required column(s) ${missing.join(', ')}`);
  const rows: InstrumentRow[] = [];
  const bad: BadInstrumentRow[] = [];
  const seen = new Set<string>();
  for (const { record, info } of records) {
    const line = info.lines;
    if (record.length !== cols.length) {
      bad.push({ line, column: '*', value: record.join(',').slice(0, 80), why: `${record.length} fields, the header has ${cols.length}` });
      continue;
    }
    const f = Object.fromEntries(cols.map((c, i) => [c, record[i] ?? ''])) as Record<(typeof INSTRUMENT_COLUMNS)[number], string | undefined>;
    const get = (c: (typeof INSTRUMENT_COLUMNS)[number]): string => f[c] ?? '';
    const fail = (column: string, why: string): void => void bad.push({ line, column, value: (f[column as keyof typeof f] ?? '').slice(0, 80), why });
    const symbol = get('symbol');
    if (!SYMBOL.test(symbol)) { fail('symbol', 'symbols are 1-16 chars of A-Z 0-9 . _ -'); continue; }
    if (seen.has(symbol)) { fail('symbol', `${symbol} appears earlier in the file`); continue; }
    const kind = get('kind').toLowerCase();
    if (!(INSTRUMENT_KINDS as readonly string[]).includes(kind)) { fail('kind', `expected one of ${INSTRUMENT_KINDS.join(', ')}`); continue; }
    const tick = get('tick_size');
    const lot = get('lot_size');
    if (!DECIMAL.test(tick) || Number(tick) <= 0) { fail('tick_size', 'expected a positive decimal such as 0.01'); continue; }
    if (!DECIMAL.test(lot) || Number(lot) <= 0) { fail('lot_size', 'expected a positive decimal such as 1 or 0.001'); continue; }
    const intOr = (c: 'price_decimals' | 'qty_decimals', d: number): number | null => {
      const v = get(c);
      if (v === '') return d;
      return /^\d$/.test(v) ? Number(v) : null;
    };
    const priceDecimals = intOr('price_decimals', places(tick));
    const qtyDecimals = intOr('qty_decimals', places(lot));
    if (priceDecimals === null) { fail('price_decimals', 'expected a whole number 0-9'); continue; }
    if (qtyDecimals === null) { fail('qty_decimals', 'expected a whole number 0-9'); continue; }
    const tz = get('timezone') || 'UTC';
    if (!isTimeZone(tz)) { fail('timezone', 'expected an IANA time zone such as America/New_York'); continue; }
    const expiry = get('expiry') || null;
    if (expiry !== null && !isCalendarDate(expiry)) { fail('expiry', 'expected a date YYYY-MM-DD'); continue; }
    const strikeText = get('strike');
    if (strikeText !== '' && (!DECIMAL.test(strikeText) || Number(strikeText) <= 0)) { fail('strike', 'expected a positive decimal'); continue; }
    const rightText = get('right').toLowerCase();
    const right = rightText === '' ? null : rightText === 'call' || rightText === 'c' ? 'call' : rightText === 'put' || rightText === 'p' ? 'put' : undefined;
    if (right === undefined) { fail('right', 'expected call or put (C or P)'); continue; }
    const multText = get('multiplier');
    if (multText !== '' && (!DECIMAL.test(multText) || Number(multText) <= 0)) { fail('multiplier', 'expected a positive decimal'); continue; }
    const underlying = get('underlying') || null;
    if (underlying !== null && !SYMBOL.test(underlying)) { fail('underlying', 'symbols are 1-16 chars of A-Z 0-9 . _ -'); continue; }
    if ((kind === 'option' || kind === 'future') && !expiry) { fail('expiry', `${kind === 'option' ? 'an' : 'a'} ${kind} needs its expiry`); continue; }
    if (kind === 'option' && (!underlying || strikeText === '' || right === null)) { fail(!underlying ? 'underlying' : strikeText === '' ? 'strike' : 'right', 'an option needs underlying, strike and right'); continue; }
    const currency = (get('currency') || 'USD').toUpperCase();
    if (!/^[A-Z0-9]{2,8}$/.test(currency)) { fail('currency', 'a currency is 2-8 chars of A-Z 0-9'); continue; }
    const expiryTime = get('expiry_time') || null;
    const row: InstrumentRow = {
      symbol,
      name: get('name'),
      kind: kind as InstrumentKind,
      venue: get('venue'),
      currency,
      timezone: tz,
      priceDecimals,
      tickSize: Number(tick),
      qtyDecimals,
      lotSize: Number(lot),
      underlying,
      expiry,
      expiryTime,
      strike: strikeText === '' ? null : Number(strikeText),
      right,
      multiplier: multText === '' ? null : Number(multText),
      source: `import:${file}`,
    };
    // The same grid and option checks the config applies, so every daemon can load what was imported.
    const asConfig = rowToConfig(row);
    if (!asConfig.ok) { fail('*', asConfig.why); continue; }
    seen.add(symbol);
    rows.push(row);
  }
  return { rows, bad };
}
