import { VolDivergenceSignal, type VolIndexDivergence } from '@hft/messages';

/**
 * The VIX-divergence signal of one underlying: the spread between its ATM implied vol (vol points) and
 * its volatility index, against the spread's own mean over a window of data time. A level gap is
 * normal (a stock's vol is not the index's); the two moving apart is the signal.
 */
export class VolDivergence {
  level = Number.NaN;
  /** Spread samples (one per snapshot) and their data times, oldest first, within the window. */
  private readonly spreads: number[] = [];
  private readonly times: bigint[] = [];
  private sum = 0;
  private firstNs: bigint | null = null;
  private readonly windowNs: bigint;

  constructor(
    readonly index: string,
    private readonly thresholdPoints: number,
    windowMs: number,
  ) {
    this.windowNs = BigInt(windowMs) * 1_000_000n;
  }

  /** A print of the index (its level, in vol points). */
  onIndex(level: number): void {
    this.level = level;
  }

  /** The signal at a snapshot made at `tsNs` with the chain's ATM implied vol (a fraction, e.g. 0.25). */
  evaluate(atmIv: number | null, tsNs: bigint): VolIndexDivergence {
    const base = { index: this.index, thresholdPoints: this.thresholdPoints };
    const level = Number.isFinite(this.level) ? this.level : null;
    if (level === null || atmIv === null) return { ...base, level, atmIvPoints: atmIv === null ? null : atmIv * 100, spread: null, baseline: null, divergence: null, signal: VolDivergenceSignal.NoData };
    const atmIvPoints = atmIv * 100;
    const spread = atmIvPoints - level;
    this.firstNs ??= tsNs;
    while (this.times.length && this.times[0]! <= tsNs - this.windowNs) {
      this.times.shift();
      this.sum -= this.spreads.shift()!;
    }
    // The baseline is the window before this snapshot, so a jump shows in full on the snapshot it happens.
    const baseline = this.spreads.length ? this.sum / this.spreads.length : null;
    this.spreads.push(spread);
    this.times.push(tsNs);
    this.sum += spread;
    const divergence = baseline === null ? null : spread - baseline;
    const warm = tsNs - this.firstNs >= this.windowNs;
    const signal = !warm || divergence === null ? VolDivergenceSignal.WarmingUp : divergence > this.thresholdPoints ? VolDivergenceSignal.IvRich : divergence < -this.thresholdPoints ? VolDivergenceSignal.IvCheap : VolDivergenceSignal.None;
    return { ...base, level, atmIvPoints, spread, baseline, divergence, signal };
  }
}
