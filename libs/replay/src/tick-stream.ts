import type { ConcreteFormat } from './formats/detect-format.js';
import type { RawTick, RowError } from './raw-tick.js';

/** A refused row or message, with where it was. */
export interface BadRow extends RowError {
  file: string;
  /** CSV: the line; ITCH: the message number (1-based). */
  line: number;
  /** Binary formats: the byte offset of the message's length prefix. */
  offset?: number;
}

/** Something the exchange said that is not a tick: ITCH system events, trading actions, broken trades. */
export type VenueEvent =
  | { kind: 'system_event'; code: string; sec: number; nsec: number }
  | { kind: 'trading_state'; sym: number; state: string; sec: number; nsec: number }
  | { kind: 'broken_trade'; sym: number; priceUnits: number; qtyUnits: number; sec: number; nsec: number };

export interface SourceOptions {
  /** Abort on the first bad row instead of skipping it. */
  strict: boolean;
  onBadRow: (bad: BadRow) => void;
  onVenueEvent?: (e: VenueEvent) => void;
  /**
   * Read size. csv-parse parses a whole chunk in one go on the event loop, so paced replays use
   * small chunks (a 16 KiB chunk is well under a millisecond) to keep timers on time.
   */
  chunkBytes?: number;
}

/** One tick file being replayed, whatever its format: ticks in batches, in file order. */
export interface TickStream {
  /** The file's format; 'candles' for stored candles replayed as ticks (the backtest from the candle store). */
  readonly format: ConcreteFormat | 'candles';
  readonly totalBytes: number;
  /** Bytes consumed so far (for progress). */
  readonly bytesRead: number;
  /** Up to `max` ticks (fewer at the end); null when the file is exhausted. */
  next(max: number): Promise<RawTick[] | null>;
  close(): void;
}

/** The message order of a file must never go back in time. */
export function goesBack(t: RawTick, lastSec: number, lastNsec: number): boolean {
  return t.sec < lastSec || (t.sec === lastSec && t.nsec < lastNsec);
}

export function timeBackwards(lastSec: number, lastNsec: number, t: RawTick): RowError {
  return { reason: 'time_backwards', detail: `time goes back from ${lastSec}.${String(lastNsec).padStart(9, '0')} to ${t.sec}.${String(t.nsec).padStart(9, '0')}` };
}
