import { Aggressor } from '@hft/messages';

/**
 * Aggressor of a trade: the venue's flag when it has one, else Lee-Ready: above the prevailing mid
 * is a buy, below a sell, at the mid the tick test (an uptick is a buy).
 */
export function classifyTrade(aggressor: Aggressor, price: number, mid: number, lastPrice: number, lastSide: Aggressor): Aggressor {
  if (aggressor !== Aggressor.Unknown) return aggressor;
  if (!Number.isNaN(mid)) {
    if (price > mid) return Aggressor.Buyer;
    if (price < mid) return Aggressor.Seller;
  }
  if (!Number.isNaN(lastPrice)) {
    if (price > lastPrice) return Aggressor.Buyer;
    if (price < lastPrice) return Aggressor.Seller;
    return lastSide;
  }
  return Aggressor.Unknown;
}
