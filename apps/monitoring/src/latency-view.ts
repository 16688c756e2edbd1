/** Tick-to-trade samples (seconds) in a ring, with percentiles for the dashboard. */
export class LatencyView {
  private readonly ring: Float64Array;
  private n = 0;
  private at = 0;
  total = 0;

  constructor(size = 10_000) {
    this.ring = new Float64Array(size);
  }

  add(seconds: number): void {
    if (!(seconds >= 0) || !Number.isFinite(seconds)) return;
    this.ring[this.at] = seconds;
    this.at = (this.at + 1) % this.ring.length;
    this.n = Math.min(this.n + 1, this.ring.length);
    this.total++;
  }

  percentiles(): { count: number; p50: number | null; p99: number | null; p999: number | null; max: number | null } {
    if (this.n === 0) return { count: 0, p50: null, p99: null, p999: null, max: null };
    const s = Array.from(this.ring.subarray(0, this.n)).sort((a, b) => a - b);
    const q = (f: number): number => s[Math.min(s.length - 1, Math.floor(f * s.length))]!;
    return { count: this.total, p50: q(0.5), p99: q(0.99), p999: q(0.999), max: s[s.length - 1]! };
  }
}

/** Events per second over the last few seconds, for throughput panels. */
export class RateMeter {
  private readonly buckets = new Map<number, number>();

  mark(n = 1, now = Date.now()): void {
    const s = Math.floor(now / 1000);
    this.buckets.set(s, (this.buckets.get(s) ?? 0) + n);
    if (this.buckets.size > 20) for (const k of this.buckets.keys()) if (k < s - 15) this.buckets.delete(k);
  }

  /** Average over the last `window` complete seconds. */
  rate(window = 5, now = Date.now()): number {
    const s = Math.floor(now / 1000);
    let sum = 0;
    for (let k = s - window; k < s; k++) sum += this.buckets.get(k) ?? 0;
    return sum / window;
  }
}
