export type LatencyKind = 'fixed' | 'uniform' | 'lognormal';

/**
 * Venue latency in microseconds. fixed = min; uniform on [min, max]; lognormal with its median in the
 * middle of the range and a spread that puts ~95% inside it, clipped to [min, max].
 */
export class LatencyModel {
  constructor(
    readonly kind: LatencyKind,
    readonly minUs: number,
    readonly maxUs: number,
    private readonly rand: () => number = Math.random,
  ) {
    if (!(minUs >= 0 && maxUs >= minUs)) throw new RangeError(`latency range [${minUs}, ${maxUs}] µs is invalid`);
  }

  sampleUs(): number {
    const { minUs: lo, maxUs: hi } = this;
    switch (this.kind) {
      case 'fixed':
        return lo;
      case 'uniform':
        return lo + (hi - lo) * this.rand();
      case 'lognormal': {
        const median = Math.max(1, (lo + hi) / 2);
        const sigma = hi > lo ? Math.log(hi / Math.max(1, lo || 1)) / 4 : 0;
        const z = Math.sqrt(-2 * Math.log(1 - this.rand())) * Math.cos(2 * Math.PI * this.rand());
        return Math.min(hi, Math.max(lo, median * Math.exp(sigma * z)));
      }
    }
  }
}
