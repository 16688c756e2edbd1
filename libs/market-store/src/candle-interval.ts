import { ERR_BAD_INTERVAL } from './errors.js';

/** Candle intervals the store aggregates its minutes into; 1d is the instrument's trading day in its venue's zone. */
export const CANDLE_INTERVALS = ['1m', '5m', '15m', '1h', '1d'] as const;
export type CandleInterval = (typeof CANDLE_INTERVALS)[number];

export const INTERVAL_MS: Record<CandleInterval, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '1d': 86_400_000 };

export function parseInterval(s: string): CandleInterval {
  if ((CANDLE_INTERVALS as readonly string[]).includes(s)) return s as CandleInterval;
  throw ERR_BAD_INTERVAL(s);
}
