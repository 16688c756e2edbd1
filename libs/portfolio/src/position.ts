export type FillSide = 'buy' | 'sell';

/**
 * A signed position with average-cost accounting: realised PnL on every reduction, unrealised PnL
 * against a mark, fees kept apart (negative fees are rebates).
 */
export class Position {
  qty = 0;
  avgPx = 0;
  realized = 0;
  fees = 0;
  boughtQty = 0;
  soldQty = 0;
  fills = 0;

  constructor(readonly symbol: string) {}

  onFill(side: FillSide, px: number, qty: number, fee = 0): void {
    if (!(qty > 0) || !(px > 0)) throw new RangeError(`fill ${side} ${qty} @ ${px}: quantity and price must be > 0`);
    const signed = side === 'buy' ? qty : -qty;
    this.fees += fee;
    this.fills++;
    if (side === 'buy') this.boughtQty += qty;
    else this.soldQty += qty;
    if (this.qty === 0 || Math.sign(this.qty) === Math.sign(signed)) {
      // Opening or adding: new average cost.
      const total = this.qty + signed;
      this.avgPx = (this.avgPx * Math.abs(this.qty) + px * qty) / Math.abs(total);
      this.qty = total;
      return;
    }
    // Reducing, closing or flipping.
    const closing = Math.min(qty, Math.abs(this.qty));
    this.realized += closing * (px - this.avgPx) * Math.sign(this.qty);
    const left = this.qty + signed;
    if (left === 0 || Math.sign(left) === Math.sign(this.qty)) {
      this.qty = roundQty(left);
      if (this.qty === 0) this.avgPx = 0;
    } else {
      this.qty = roundQty(left);
      this.avgPx = px;
    }
  }

  unrealized(mark: number): number {
    return this.qty === 0 || Number.isNaN(mark) ? 0 : this.qty * (mark - this.avgPx);
  }

  /** Realised + unrealised - fees. */
  totalPnl(mark: number): number {
    return this.realized + this.unrealized(mark) - this.fees;
  }
}

/** Quantities such as 0.1 + 0.2 must come back to exact zero when a position closes. */
function roundQty(q: number): number {
  return Math.abs(q) < 1e-9 ? 0 : Math.round(q * 1e9) / 1e9;
}
