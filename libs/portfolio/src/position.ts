export type FillSide = 'buy' | 'sell';

/** A position's figures as they are persisted and restored (decimal quantity). */
export interface PositionState {
  qty: number;
  avgPx: number;
  realized: number;
  fees: number;
}

/**
 * A signed position with average-cost accounting: realised PnL on every reduction, unrealised PnL
 * against a mark, fees kept apart (negative fees are rebates). The quantity is kept in integer units
 * of the instrument (`qtyScale` units per 1), so buys and sells always come back to exactly flat.
 */
export class Position {
  /** Signed quantity in instrument units. */
  private units = 0;
  avgPx = 0;
  realized = 0;
  fees = 0;
  boughtQty = 0;
  soldQty = 0;
  fills = 0;

  constructor(
    readonly symbol: string,
    readonly qtyScale = 1,
  ) {}

  get qty(): number {
    return this.units / this.qtyScale;
  }

  get qtyUnits(): number {
    return this.units;
  }

  onFill(side: FillSide, px: number, qty: number, fee = 0): void {
    if (!(qty > 0) || !(px > 0)) throw new RangeError(`fill ${side} ${qty} @ ${px}: quantity and price must be > 0`);
    // Rounded once: a decimal quantity off the lot grid cannot come from the venue.
    const q = Math.round(qty * this.qtyScale);
    const signed = side === 'buy' ? q : -q;
    this.fees += fee;
    this.fills++;
    if (side === 'buy') this.boughtQty += qty;
    else this.soldQty += qty;
    if (this.units === 0 || Math.sign(this.units) === Math.sign(signed)) {
      // Opening or adding: new average cost.
      const total = this.units + signed;
      this.avgPx = (this.avgPx * Math.abs(this.units) + px * q) / Math.abs(total);
      this.units = total;
      return;
    }
    // Reducing, closing or flipping.
    const closing = Math.min(q, Math.abs(this.units));
    this.realized += ((closing * (px - this.avgPx)) / this.qtyScale) * Math.sign(this.units);
    const left = this.units + signed;
    if (left === 0) this.avgPx = 0;
    else if (Math.sign(left) !== Math.sign(this.units)) this.avgPx = px;
    this.units = left;
  }

  unrealized(mark: number): number {
    return this.units === 0 || Number.isNaN(mark) ? 0 : this.qty * (mark - this.avgPx);
  }

  /** Realised + unrealised - fees. */
  totalPnl(mark: number): number {
    return this.realized + this.unrealized(mark) - this.fees;
  }

  state(): PositionState {
    return { qty: this.qty, avgPx: this.avgPx, realized: this.realized, fees: this.fees };
  }

  /** Take over figures read back from a ledger or a state store. */
  restore(s: PositionState): void {
    this.units = Math.round(s.qty * this.qtyScale);
    this.avgPx = s.avgPx;
    this.realized = s.realized;
    this.fees = s.fees;
  }
}
