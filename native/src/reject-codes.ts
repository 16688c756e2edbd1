import { rejectCodes } from '#binding';

// Built once from the core's own table, so names never disagree with the Rust side.
const names = new Map<number, string>(rejectCodes().map((c) => [c.code, c.name]));

/** Stable name of a core reject code, e.g. 4 -> "PRICE_OFF_TICK". */
export function rejectName(code: number): string {
  return names.get(code) ?? `UNKNOWN_${code}`;
}

/** Every reject code the core can produce, by name. */
export function allRejectNames(): string[] {
  return [...names.values()];
}
