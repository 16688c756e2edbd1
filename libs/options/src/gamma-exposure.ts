import type { OptionRight } from '@hft/config';

// Dealer gamma exposure, the usual convention: dealers are long the calls and short the puts the
// public holds, so call gamma counts positive and put gamma negative.

/** Currency change of dealers' delta for a 1% move of the underlying: gamma x OI x multiplier x S^2 x 1%. */
export function gammaExposure(right: OptionRight, gamma: number, openInterest: number, multiplier: number, spot: number): number {
  const gex = gamma * openInterest * multiplier * spot * spot * 0.01;
  return right === 'call' ? gex : -gex;
}

/** The strikes with the largest call exposure and the largest (most negative) put exposure; null when none. */
export function gammaWalls(strikes: readonly number[], callGex: readonly number[], putGex: readonly number[]): { callWall: number | null; putWall: number | null } {
  let callWall: number | null = null;
  let putWall: number | null = null;
  let maxCall = 0;
  let minPut = 0;
  strikes.forEach((k, i) => {
    if ((callGex[i] ?? 0) > maxCall) {
      maxCall = callGex[i]!;
      callWall = k;
    }
    if ((putGex[i] ?? 0) < minPut) {
      minPut = putGex[i]!;
      putWall = k;
    }
  });
  return { callWall, putWall };
}
