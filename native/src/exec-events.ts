import { EVENT_STRIDE, type EventKind } from './layout.js';

export interface ExecEvent {
  kind: EventKind;
  book: number;
  orderId: number;
  /** Counterparty order id on fills, 0 otherwise. */
  otherId: number;
  price: number;
  qty: number;
  leaves: number;
  /** Liquidity flag, cancel/expire reason or reject code, depending on `kind`. */
  detail: number;
}

/** Decode packed event records into objects (for tests and cold paths; hot loops read `Ev` offsets). */
export function decodeEvents(records: Float64Array): ExecEvent[] {
  const out: ExecEvent[] = [];
  for (let i = 0; i + EVENT_STRIDE <= records.length; i += EVENT_STRIDE) {
    out.push({
      kind: records[i] as EventKind,
      book: records[i + 1]!,
      orderId: records[i + 2]!,
      otherId: records[i + 3]!,
      price: records[i + 4]!,
      qty: records[i + 5]!,
      leaves: records[i + 6]!,
      detail: records[i + 7]!,
    });
  }
  return out;
}
