/**
 * Mean and standard deviation over the last `window` samples, O(1) amortised per update. Uses the
 * sliding Welford update (a running sum of squares loses all precision for prices around 100 with
 * cent-sized moves) and re-derives both exactly from the buffer once per window to stop drift.
 */
export class RollingStats {
  private readonly buf: Float64Array;
  private n = 0;
  private head = 0;
  private m = 0;
  private m2 = 0;
  private slides = 0;

  constructor(readonly window: number) {
    if (!(Number.isInteger(window) && window >= 2)) throw new RangeError(`rolling window ${window} must be an integer >= 2`);
    this.buf = new Float64Array(window);
  }

  update(x: number): void {
    if (this.n < this.window) {
      this.buf[(this.head + this.n) % this.window] = x;
      this.n++;
      const d = x - this.m;
      this.m += d / this.n;
      this.m2 += d * (x - this.m);
      return;
    }
    const old = this.buf[this.head]!;
    this.buf[this.head] = x;
    this.head = (this.head + 1) % this.window;
    const mean = this.m + (x - old) / this.n;
    this.m2 += (x - old) * (x - mean + old - this.m);
    if (this.m2 < 0) this.m2 = 0;
    this.m = mean;
    if (++this.slides === this.window) this.recompute();
  }

  private recompute(): void {
    this.slides = 0;
    let sum = 0;
    for (let i = 0; i < this.n; i++) sum += this.buf[i]!;
    const mean = sum / this.n;
    let m2 = 0;
    for (let i = 0; i < this.n; i++) m2 += (this.buf[i]! - mean) ** 2;
    this.m = mean;
    this.m2 = m2;
  }

  get count(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === this.window;
  }

  get mean(): number {
    return this.n ? this.m : Number.NaN;
  }

  /** Sample standard deviation (n - 1). */
  get std(): number {
    return this.n > 1 ? Math.sqrt(this.m2 / (this.n - 1)) : Number.NaN;
  }

  /** z-score of `x` against the window; NaN until two samples, 0 when the window has no spread. */
  z(x: number): number {
    const s = this.std;
    if (Number.isNaN(s)) return Number.NaN;
    return s === 0 ? 0 : (x - this.m) / s;
  }
}
