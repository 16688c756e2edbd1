import { AVG_PX_EXTRA_DECIMALS } from '@hft/portfolio';

// Prices and quantities are integer units of the instrument inside (price x 10^price_decimals,
// quantity x 10^qty_decimals); decimals exist only on the wire and are converted here, once.

/** Decimal -> units, rounded once. */
export function toUnits(value: number, scale: number): number {
  return Math.round(value * scale);
}

/** Units -> the decimal the wire carries (the nearest double to units / scale). */
export function fromUnits(units: number, scale: number): number {
  return units / scale;
}


export { AVG_PX_EXTRA_DECIMALS };

/**
 * Volume-weighted average price from the exact sum of price x quantity units: rounded half up to
 * price_decimals + AVG_PX_EXTRA_DECIMALS, so a single fill at 412.31 averages exactly 412.31.
 */
export function averagePrice(notionalUnits: bigint, qtyUnits: number, priceDecimals: number): number {
  if (qtyUnits <= 0) return 0;
  const extra = 10n ** BigInt(AVG_PX_EXTRA_DECIMALS);
  const q = BigInt(qtyUnits);
  const scaled = (notionalUnits * extra * 2n + q) / (2n * q);
  return Number(scaled) / 10 ** (priceDecimals + AVG_PX_EXTRA_DECIMALS);
}
