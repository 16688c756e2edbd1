/** Exponential moving average; the first sample seeds it. `alpha` in (0, 1]. */
export class Ema {
  private v = Number.NaN;

  constructor(readonly alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`EMA alpha ${alpha} must be in (0, 1]`);
  }

  /** Alpha for a span of `n` samples (pandas' `span`): 2 / (n + 1). */
  static ofSpan(n: number): Ema {
    return new Ema(2 / (n + 1));
  }

  update(x: number): number {
    this.v = Number.isNaN(this.v) ? x : this.v + this.alpha * (x - this.v);
    return this.v;
  }

  get value(): number {
    return this.v;
  }
}
