/** Why a frame was dropped instead of delivered. A bounded set: it is a metric label. */
export const DROP_REASONS = [
  'too_large',
  'malformed_json',
  'not_an_object',
  'unknown_type',
  'unexpected_type',
  'invalid_fields',
  'bad_header',
  'bad_version',
  'bad_kind',
  'bad_length',
  'bad_symbol',
  'bad_value',
  'bad_frames',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface Drop {
  ok: false;
  reason: DropReason;
  /** Human detail for the log line (what was wrong and where in the frame). */
  detail: string;
}

export type Decoded<T> = { ok: true; value: T } | Drop;

export function drop(reason: DropReason, detail: string): Drop {
  return { ok: false, reason, detail };
}
