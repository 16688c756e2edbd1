/**
 * Max pain of one expiry: the settlement price, among the listed strikes, at which the open options
 * would pay their holders the least (sum over calls of OI x max(0, S - K), over puts of OI x max(0, K - S)).
 * `strikes` ascending; null when there is no open interest.
 */
export function maxPain(strikes: readonly number[], callOi: readonly number[], putOi: readonly number[]): number | null {
  let best: number | null = null;
  let least = Infinity;
  let any = false;
  for (let i = 0; i < strikes.length; i++) if ((callOi[i] ?? 0) > 0 || (putOi[i] ?? 0) > 0) any = true;
  if (!any) return null;
  for (const s of strikes) {
    let pay = 0;
    for (let i = 0; i < strikes.length; i++) {
      const k = strikes[i]!;
      if (s > k) pay += (callOi[i] ?? 0) * (s - k);
      else if (k > s) pay += (putOi[i] ?? 0) * (k - s);
    }
    if (pay < least) {
      least = pay;
      best = s;
    }
  }
  return best;
}
