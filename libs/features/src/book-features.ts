import type { BookLevel } from '@hft/messages';

/** Order-book imbalance over the top `n` levels: (bidQty - askQty) / (bidQty + askQty), in [-1, 1]. */
export function imbalance(bids: readonly BookLevel[], asks: readonly BookLevel[], n: number): number {
  let b = 0;
  let a = 0;
  for (let i = 0; i < n && i < bids.length; i++) b += bids[i]!.qty;
  for (let i = 0; i < n && i < asks.length; i++) a += asks[i]!.qty;
  return a + b > 0 ? (b - a) / (a + b) : 0;
}

/** Size-weighted mid at the touch: leans toward the side with less size (where the price goes next). */
export function microprice(bid: BookLevel, ask: BookLevel): number {
  return (bid.price * ask.qty + ask.price * bid.qty) / (bid.qty + ask.qty);
}
