import { existsSync, statSync, createReadStream, type ReadStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse, type Parser } from 'csv-parse';
import type { TickFormat } from '@hft/config';
import { ERR_MD_BAD_ROW, ERR_MD_FILE_EMPTY, ERR_MD_FILE_MISSING, ERR_MD_MISSING_COLUMNS, ERR_MD_NO_SYMBOL } from './errors.js';
import { BinanceRowParser } from './formats/binance-format.js';
import { detectFormat, type ConcreteFormat } from './formats/detect-format.js';
import { HFT_COLUMNS, HftRowParser } from './formats/hft-format.js';
import { LOBSTER_NAME, LobsterRowParser, newYorkMidnight } from './formats/lobster-format.js';
import { LobsterOrderbookReader } from './formats/lobster-orderbook.js';
import { OPTION_QUOTE_COLUMNS, OptionQuotesRowParser } from './formats/option-quotes-format.js';
import type { RowParser } from './formats/row-parser.js';
import type { RawTick, RowError } from './raw-tick.js';
import { goesBack, timeBackwards, type SourceOptions, type TickStream } from './tick-stream.js';
import type { ReplayInstruments } from './replay-instruments.js';

export interface FileSpec {
  path: string;
  format: TickFormat;
  /** For symbol-less formats; otherwise derived from the file name. */
  symbol?: string;
  /** LOBSTER: the orderbook file giving the book the message file starts from (default: the `_orderbook_` file beside it, if any). */
  orderbook?: string;
  /** ITCH: the trading day, when the file name does not carry it. */
  date?: string;
  /** Catalog (a directory): only these symbols' partitions (default all). */
  symbols?: readonly string[];
  /** Catalog: only the days from / to these UTC dates, YYYY-MM-DD, inclusive. */
  fromDate?: string;
  toDate?: string;
}

/**
 * Streams one tick file through csv-parse (never the whole file in memory) and hands out parsed
 * ticks in batches. Quoting is off: tick files never quote, and a stray quote must not swallow the
 * rest of the file into one field. So record n is line n, and every error names its line.
 */
export class TickSource implements TickStream {
  readonly format: ConcreteFormat;
  readonly totalBytes: number;
  private readonly rowParser: RowParser;
  private orderbook: LobsterOrderbookReader | null = null;
  private stream: ReadStream | null = null;
  private parser: Parser | null = null;
  private line = 0;
  private ended = false;
  private lastSec = -Infinity;
  private lastNsec = 0;
  private readonly scratch: RawTick[] = [];

  constructor(
    readonly spec: FileSpec,
    instruments: ReplayInstruments,
    private readonly opts: SourceOptions,
  ) {
    if (!existsSync(spec.path)) throw ERR_MD_FILE_MISSING(spec.path);
    this.totalBytes = statSync(spec.path).size;
    if (this.totalBytes === 0) throw ERR_MD_FILE_EMPTY(spec.path);
    const d = detectFormat(spec.path, spec.format);
    this.format = d.format;
    const name = basename(spec.path);
    switch (d.format) {
      case 'hft':
        requireColumns(spec.path, d.format, d.firstFields, HFT_COLUMNS);
        this.rowParser = new HftRowParser(d.firstFields, instruments);
        break;
      case 'option-quotes':
        requireColumns(spec.path, d.format, d.firstFields, OPTION_QUOTE_COLUMNS);
        this.rowParser = new OptionQuotesRowParser(d.firstFields, instruments);
        break;
      case 'binance-trades':
      case 'binance-aggtrades': {
        const sym = instruments.resolve(spec.symbol ?? name.split(/[-_.]/)[0] ?? '');
        if (sym === undefined) throw ERR_MD_NO_SYMBOL(spec.path, d.format);
        this.rowParser = new BinanceRowParser(d.format, d.hasHeader ? 1 : 0, sym, instruments);
        break;
      }
      case 'lobster': {
        const m = LOBSTER_NAME.exec(name);
        const sym = instruments.resolve(spec.symbol ?? m?.[1] ?? '');
        if (sym === undefined || !m) throw ERR_MD_NO_SYMBOL(spec.path, d.format);
        const book = spec.orderbook ?? lobsterOrderbookBeside(spec.path);
        if (spec.orderbook && !existsSync(spec.orderbook)) throw ERR_MD_FILE_MISSING(spec.orderbook);
        this.orderbook = book ? new LobsterOrderbookReader(book) : null;
        this.rowParser = new LobsterRowParser(sym, newYorkMidnight(m[2]!), instruments, this.orderbook);
        break;
      }
      case 'itch':
      case 'catalog':
        throw new TypeError(`${spec.path}: ${d.format} is not CSV; open it with openTickSource`);
    }
  }

  /** Bytes parsed so far (the read stream itself runs ahead by its buffer). */
  get bytesRead(): number {
    return this.parser?.info.bytes ?? 0;
  }

  get linesRead(): number {
    return this.line;
  }

  private open(): Parser {
    this.stream = createReadStream(this.spec.path, { highWaterMark: this.opts.chunkBytes ?? 1 << 18 });
    const p = parse({ quote: false, relax_column_count: true, skip_empty_lines: false, bom: true, from_line: this.rowParser.headerLines + 1 });
    this.line = this.rowParser.headerLines;
    this.stream.on('error', (e) => p.destroy(e));
    this.stream.pipe(p);
    p.on('end', () => {
      this.ended = true;
    });
    return p;
  }

  /** Up to `max` ticks (fewer at the end); null when the file is exhausted. */
  async next(max: number): Promise<RawTick[] | null> {
    const p = (this.parser ??= this.open());
    const out: RawTick[] = [];
    while (out.length < max) {
      const rec = p.read() as string[] | null;
      if (rec === null) {
        if (this.ended || p.destroyed) break;
        if (out.length > 0) break;
        await new Promise<void>((resolve, reject) => {
          const done = (): void => {
            p.off('readable', done);
            p.off('end', done);
            p.off('error', fail);
            resolve();
          };
          const fail = (e: Error): void => {
            p.off('readable', done);
            p.off('end', done);
            reject(e);
          };
          p.once('readable', done);
          p.once('end', done);
          p.once('error', fail);
        });
        continue;
      }
      this.line++;
      this.scratch.length = 0;
      const err = this.rowParser.parse(rec, this.scratch);
      if (err) {
        this.bad(err);
        continue;
      }
      for (const t of this.scratch) {
        if (goesBack(t, this.lastSec, this.lastNsec)) {
          this.bad(timeBackwards(this.lastSec, this.lastNsec, t));
          break;
        }
        this.lastSec = t.sec;
        this.lastNsec = t.nsec;
        out.push(t);
      }
    }
    return out.length === 0 && (this.ended || p.destroyed) ? null : out;
  }

  private bad(err: RowError): void {
    if (this.opts.strict) throw ERR_MD_BAD_ROW(this.spec.path, this.line, err.reason, err.detail);
    this.opts.onBadRow({ ...err, file: this.spec.path, line: this.line });
  }

  close(): void {
    this.stream?.destroy();
    this.parser?.destroy();
    this.orderbook?.close();
    this.orderbook = null;
  }
}

/** A format given by flag on a file whose header lacks what it needs: say which columns, not a crash. */
function requireColumns(path: string, format: string, header: string[], needed: readonly string[]): void {
  const names = new Set(header.map((f) => f.trim().toLowerCase()));
  const missing = needed.filter((c) => !names.has(c));
  if (missing.length > 0) throw ERR_MD_MISSING_COLUMNS(path, format, missing);
}

/** The LOBSTER orderbook file named like the message file (`..._message_10.csv` -> `..._orderbook_10.csv`), when it exists. */
export function lobsterOrderbookBeside(messagePath: string): string | null {
  const name = basename(messagePath);
  if (!name.includes('_message_')) return null;
  const p = join(dirname(messagePath), name.replace('_message_', '_orderbook_'));
  return existsSync(p) ? p : null;
}
