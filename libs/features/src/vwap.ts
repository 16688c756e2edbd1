/** Volume-weighted average price of everything added since the last reset. */
export class Vwap {
  private pv = 0;
  private v = 0;

  add(price: number, qty: number): void {
    this.pv += price * qty;
    this.v += qty;
  }

  get value(): number {
    return this.v > 0 ? this.pv / this.v : Number.NaN;
  }

  get volume(): number {
    return this.v;
  }

  reset(): void {
    this.pv = 0;
    this.v = 0;
  }
}
