import { BuildupClass } from '@hft/messages';

// Buildup of one contract over the session: the sign of its price change and of its open-interest
// change name the class; the score (0-100) weighs how much each moved, and the volume behind it.

/** Below these relative moves a change counts as none (0.5%). */
const FLAT = 0.005;
/** Weights and the move that earns a factor's full weight: OI 10%, price 20%, volume 10% of OI. */
const W_OI = 0.45;
const W_PRICE = 0.35;
const W_VOLUME = 0.2;
const FULL_OI = 0.1;
const FULL_PRICE = 0.2;
const FULL_VOLUME = 0.1;

export interface Buildup {
  buildup: BuildupClass;
  buildupScore: number;
}

const NEUTRAL: Buildup = { buildup: BuildupClass.Neutral, buildupScore: 0 };

/**
 * `price`/`priceRef`: the contract's mark now and at the start of the session; `oi`/`oiRef` likewise;
 * `volume`: contracts traded since. Neutral when either is unknown or barely moved.
 */
export function classifyBuildup(price: number | null, priceRef: number | null, oi: number | null, oiRef: number | null, volume: number): Buildup {
  if (price === null || priceRef === null || oi === null || oiRef === null || priceRef <= 0 || oiRef <= 0) return NEUTRAL;
  const dp = (price - priceRef) / priceRef;
  const doi = (oi - oiRef) / oiRef;
  if (Math.abs(dp) < FLAT || Math.abs(doi) < FLAT) return NEUTRAL;
  const buildup = dp > 0 ? (doi > 0 ? BuildupClass.LongBuildup : BuildupClass.ShortCovering) : doi > 0 ? BuildupClass.ShortBuildup : BuildupClass.LongUnwinding;
  const score = W_OI * Math.min(1, Math.abs(doi) / FULL_OI) + W_PRICE * Math.min(1, Math.abs(dp) / FULL_PRICE) + W_VOLUME * Math.min(1, volume / oiRef / FULL_VOLUME);
  return { buildup, buildupScore: Math.round(score * 1000) / 10 };
}
