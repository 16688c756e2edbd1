import { TickKind, type Aggressor } from '@hft/messages';

/** A book reset: published as a tick of kind Clear (0). */
export const CLEAR_BOOK = TickKind.Clear;
export type ReplayKind = TickKind;

/** One parsed row, before sequencing and publishing. Integers in instrument units. */
export interface RawTick {
  sec: number;
  nsec: number;
  /** Index into the replay's instrument list. */
  sym: number;
  kind: ReplayKind;
  aggressor: Aggressor;
  priceUnits: number;
  qtyUnits: number;
  /** More level updates of the same source event follow (a book snapshot per event waits for the last). */
  more?: boolean;
}

/** Bad-row reasons: a bounded set, used as a metric label. */
export const ROW_ERRORS = [
  'wrong_column_count',
  'bad_timestamp',
  'time_backwards',
  'unknown_symbol',
  'unknown_contract',
  'unknown_type',
  'unknown_side',
  'non_numeric_price',
  'non_numeric_qty',
  'non_positive_price',
  'negative_qty',
  'zero_trade_qty',
  'off_tick',
  'off_lot',
  'out_of_range',
  'unknown_order',
  'book_mismatch',
  'crossed_quote',
  'malformed_csv',
  'malformed_message',
  'truncated_message',
  'duplicate_order',
] as const;
export type RowErrorReason = (typeof ROW_ERRORS)[number];

export interface RowError {
  reason: RowErrorReason;
  detail: string;
}
