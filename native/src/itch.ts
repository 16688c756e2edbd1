// ITCH 5.0 replay records (crates/core/src/itch/replay.rs). Stride and codes come from the binding.
import { ITCH_RECORD_STRIDE, itchCodes } from '#binding';

export { ItchReplay, itchScan, type ItchCounts, type ItchScan } from '#binding';
export { ITCH_RECORD_STRIDE };

/** Record kinds: 1-3 equal the wire's tick kinds (trade, bid level, ask level). */
export const ItchKind = { Trade: 1, Bid: 2, Ask: 3, Refused: 16, TradingState: 17, SystemEvent: 18, BrokenTrade: 19 } as const;
export type ItchKind = (typeof ItchKind)[keyof typeof ItchKind];

/** Field offsets inside one record. `flags`: levels 1 = more records of this message follow; trades the aggressor. */
export const ItchRec = { kind: 0, book: 1, tsNs: 2, price: 3, qty: 4, flags: 5, messageNo: 6, offset: 7 } as const;

const names = new Map<number, string>(itchCodes().map((c) => [c.code, c.name]));

/** Stable name of an ITCH refusal code, e.g. 4 -> "UNKNOWN_ORDER". */
export function itchCodeName(code: number): string {
  return names.get(code) ?? `UNKNOWN_${code}`;
}

export function allItchCodeNames(): string[] {
  return [...names.values()];
}
