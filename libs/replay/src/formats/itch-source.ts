import { createReadStream, existsSync, statSync, type ReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Aggressor, TickKind } from '@hft/messages';
import { ITCH_RECORD_STRIDE, ItchKind, ItchRec, ItchReplay, itchCodeName, type ItchCounts } from '@hft/native';
import { ERR_MD_BAD_ROW, ERR_MD_FILE_EMPTY, ERR_MD_FILE_MISSING, ERR_MD_NO_DATE } from '../errors.js';
import type { RawTick, RowErrorReason } from '../raw-tick.js';
import type { ReplayInstruments } from '../replay-instruments.js';
import { goesBack, timeBackwards, type BadRow, type SourceOptions, type TickStream } from '../tick-stream.js';
import type { FileSpec } from '../tick-source.js';
import { newYorkMidnight } from './lobster-format.js';

// NASDAQ TotalView-ITCH 5.0 files as distributed: `MMDDYYYY.NASDAQ_ITCH50`, optionally gzipped. The
// bytes go to the native core in chunks (crates/core/src/itch), which frames and decodes them, keeps
// the order-level book of every configured stock and hands back level totals and trades.
export const ITCH_NAME = /^(\d{2})(\d{2})(\d{4})\.NASDAQ_ITCH50(\.gz)?$/i;

/** Is this file ITCH by its name (the NASDAQ naming, or a `.itch` extension)? */
export function isItchName(path: string): boolean {
  const n = basename(path);
  return ITCH_NAME.test(n) || /\.itch(50)?(\.gz)?$/i.test(n);
}

/** The trading day of an ITCH file: the `date` given, else the `MMDDYYYY` of its name. */
export function itchDate(spec: FileSpec): string {
  if (spec.date) return spec.date;
  const m = ITCH_NAME.exec(basename(spec.path));
  if (!m) throw ERR_MD_NO_DATE(spec.path);
  return `${m[3]}-${m[1]}-${m[2]}`;
}

const REASON: Record<string, RowErrorReason> = {
  UNKNOWN_MESSAGE_TYPE: 'unknown_type',
  LENGTH_MISMATCH: 'malformed_message',
  TRUNCATED: 'truncated_message',
  UNKNOWN_ORDER: 'unknown_order',
  DUPLICATE_ORDER: 'duplicate_order',
  EXCEEDS_OPEN: 'negative_qty',
  OFF_TICK: 'off_tick',
  ZERO_SHARES: 'zero_trade_qty',
  BAD_SIDE: 'unknown_side',
  NON_POSITIVE_PRICE: 'non_positive_price',
};

const RECORDS = 1024;
const byte = (v: number): string => (v >= 0x20 && v < 0x7f ? String.fromCharCode(v) : `0x${v.toString(16).padStart(2, '0')}`);

export class ItchSource implements TickStream {
  readonly format = 'itch' as const;
  readonly totalBytes: number;
  private readonly replay = new ItchReplay();
  private readonly out = new Float64Array(RECORDS * ITCH_RECORD_STRIDE);
  /** Book index of the core -> instrument index of the replay. */
  private readonly symOf: number[] = [];
  private readonly midnightSec: number;
  private readonly file: ReadStream;
  private readonly chunks: AsyncIterator<Buffer>;
  private ended = false;
  private lastSec = -Infinity;
  private lastNsec = 0;

  constructor(
    readonly spec: FileSpec,
    private readonly instruments: ReplayInstruments,
    private readonly opts: SourceOptions,
  ) {
    if (!existsSync(spec.path)) throw ERR_MD_FILE_MISSING(spec.path);
    this.totalBytes = statSync(spec.path).size;
    if (this.totalBytes === 0) throw ERR_MD_FILE_EMPTY(spec.path);
    this.midnightSec = newYorkMidnight(itchDate(spec));
    // Every configured instrument ITCH can name (1-8 characters, at most 4 price decimals) is followed.
    instruments.list.forEach((inst, sym) => {
      if (inst.option || !/^[\x21-\x7e]{1,8}$/.test(inst.symbol) || inst.priceDecimals > 4) return;
      const book = this.replay.subscribe(inst.symbol, 10 ** (4 - inst.priceDecimals), inst.tickUnits, inst.qtyScale);
      this.symOf[book] = sym;
    });
    this.file = createReadStream(spec.path, { highWaterMark: opts.chunkBytes ?? 1 << 18 });
    const stream = /\.gz$/i.test(spec.path) ? this.file.pipe(createGunzip()) : this.file;
    this.file.on('error', (e) => stream.destroy(e));
    this.chunks = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  get bytesRead(): number {
    return this.file.bytesRead;
  }

  counts(): ItchCounts {
    return this.replay.counts();
  }

  async next(max: number): Promise<RawTick[] | null> {
    const ticks: RawTick[] = [];
    while (ticks.length < max) {
      const n = this.replay.drain(this.out);
      if (n === 0) {
        if (this.ended) break;
        if (ticks.length > 0) break;
        const c = await this.chunks.next();
        if (c.done) {
          this.ended = true;
          this.replay.end();
        } else this.replay.push(c.value);
        continue;
      }
      for (let i = 0; i < n; i++) this.record(i * ITCH_RECORD_STRIDE, ticks);
    }
    return ticks.length === 0 && this.ended ? null : ticks;
  }

  private record(at: number, ticks: RawTick[]): void {
    const r = this.out;
    const kind = r[at + ItchRec.kind]!;
    const ts = r[at + ItchRec.tsNs]!;
    const sec = this.midnightSec + Math.floor(ts / 1e9);
    const nsec = ts % 1e9;
    const sym = this.symOf[r[at + ItchRec.book]!] ?? -1;
    const flags = r[at + ItchRec.flags]!;
    switch (kind) {
      case ItchKind.Bid:
      case ItchKind.Ask:
      case ItchKind.Trade: {
        const t: RawTick = {
          sec,
          nsec,
          sym,
          kind: kind === ItchKind.Trade ? TickKind.Trade : kind === ItchKind.Bid ? TickKind.Bid : TickKind.Ask,
          aggressor: kind === ItchKind.Trade ? (flags as Aggressor) : Aggressor.Unknown,
          priceUnits: r[at + ItchRec.price]!,
          qtyUnits: r[at + ItchRec.qty]!,
        };
        if (kind !== ItchKind.Trade && flags === 1) t.more = true;
        if (goesBack(t, this.lastSec, this.lastNsec)) {
          const e = timeBackwards(this.lastSec, this.lastNsec, t);
          this.bad(r[at + ItchRec.messageNo]!, r[at + ItchRec.offset]!, e.reason, e.detail);
          return;
        }
        this.lastSec = sec;
        this.lastNsec = nsec;
        ticks.push(t);
        return;
      }
      case ItchKind.Refused: {
        const name = itchCodeName(r[at + ItchRec.price]!);
        const detail = r[at + ItchRec.qty]!;
        const what = name === 'UNKNOWN_MESSAGE_TYPE' || name === 'LENGTH_MISMATCH' ? `type ${byte(detail)}` : name === 'TRUNCATED' ? `${detail} bytes left` : `order ${detail}`;
        const symbol = sym >= 0 ? ` (${this.instruments.list[sym]!.symbol})` : '';
        this.bad(r[at + ItchRec.messageNo]!, r[at + ItchRec.offset]!, REASON[name] ?? 'malformed_message', `${name}: ${what}${symbol}`);
        return;
      }
      case ItchKind.SystemEvent:
        this.opts.onVenueEvent?.({ kind: 'system_event', code: byte(r[at + ItchRec.price]!), sec, nsec });
        return;
      case ItchKind.TradingState:
        if (sym >= 0) this.opts.onVenueEvent?.({ kind: 'trading_state', sym, state: byte(r[at + ItchRec.price]!), sec, nsec });
        return;
      case ItchKind.BrokenTrade:
        if (sym >= 0) this.opts.onVenueEvent?.({ kind: 'broken_trade', sym, priceUnits: r[at + ItchRec.price]!, qtyUnits: r[at + ItchRec.qty]!, sec, nsec });
        return;
    }
  }

  private bad(messageNo: number, offset: number, reason: RowErrorReason, detail: string): void {
    const full = `${detail} at byte ${offset}`;
    if (this.opts.strict) throw ERR_MD_BAD_ROW(this.spec.path, messageNo, reason, full);
    const b: BadRow = { file: this.spec.path, line: messageNo, offset, reason, detail: full };
    this.opts.onBadRow(b);
  }

  close(): void {
    this.file.destroy();
  }
}
