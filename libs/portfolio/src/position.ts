export type FillSide = 'buy' | 'sell';

/** A position's figures as they are persisted and restored (decimal quantity). */
export interface PositionState {
  qty: number;
  avgPx: number;
  realized: number;
  fees: number;
}

/** Average prices carry this many decimals beyond the instrument's price decimals (rounded half up, once). */
export const AVG_PX_EXTRA_DECIMALS = 4;

/** The scales of one instrument a position is kept in. */
export interface PositionScales {
  /** Quantity units per 1 (10^qty_decimals). */
  qtyScale: number;
  /** Price decimals of the instrument (its prices are integers at this many decimals). */
  priceDecimals: number;
}

/**
 * A signed position with average-cost accounting: realised PnL on every reduction, unrealised PnL
 * against a mark, fees kept apart (negative fees are rebates). Quantity, cost and realised PnL are
 * exact integers of the instrument's units (prices at price_decimals + AVG_PX_EXTRA_DECIMALS), so buys
 * and sells come back to exactly flat and an average of fills at 412.31 is exactly 412.31; decimals
 * appear only in what the getters return, rounded once.
 */
export class Position {
  /** Signed quantity in instrument units. */
  private units = 0;
  /** Cost of the open quantity: sum of price units (x 10^extra) x quantity units, sign of the position. */
  private cost = 0n;
  /** Realised PnL in the same units as `cost`. */
  private realizedX = 0n;
  fees = 0;
  boughtQty = 0;
  soldQty = 0;
  fills = 0;
  readonly qtyScale: number;
  private readonly pxScale: number;

  constructor(
    readonly symbol: string,
    scales: number | PositionScales = 1,
  ) {
    const sc = typeof scales === 'number' ? { qtyScale: scales, priceDecimals: 6 } : scales;
    this.qtyScale = sc.qtyScale;
    this.pxScale = 10 ** (sc.priceDecimals + AVG_PX_EXTRA_DECIMALS);
  }

  get qty(): number {
    return this.units / this.qtyScale;
  }

  get qtyUnits(): number {
    return this.units;
  }

  /** Average cost of the open quantity (0 when flat), at price_decimals + AVG_PX_EXTRA_DECIMALS. */
  get avgPx(): number {
    if (this.units === 0) return 0;
    const q = BigInt(Math.abs(this.units));
    const c = this.cost < 0n ? -this.cost : this.cost;
    return Number((c * 2n + q) / (2n * q)) / this.pxScale;
  }

  get realized(): number {
    return Number(this.realizedX) / (this.pxScale * this.qtyScale);
  }

  onFill(side: FillSide, px: number, qty: number, fee = 0): void {
    if (!(qty > 0) || !(px > 0)) throw new RangeError(`fill ${side} ${qty} @ ${px}: quantity and price must be > 0`);
    // Rounded once: a decimal price or quantity off the instrument's grid cannot come from the venue.
    const q = Math.round(qty * this.qtyScale);
    const pxX = BigInt(Math.round(px * this.pxScale));
    const signed = side === 'buy' ? q : -q;
    this.fees += fee;
    this.fills++;
    if (side === 'buy') this.boughtQty += qty;
    else this.soldQty += qty;
    if (this.units === 0 || Math.sign(this.units) === Math.sign(signed)) {
      // Opening or adding: the cost grows by this fill's exact value.
      this.cost += pxX * BigInt(signed);
      this.units += signed;
      return;
    }
    // Reducing, closing or flipping: the closed part leaves at its share of the cost (rounded once).
    const open = BigInt(Math.abs(this.units));
    const closing = BigInt(Math.min(q, Math.abs(this.units)));
    const removed = closing === open ? this.cost : (this.cost * closing) / open;
    const sign = this.units > 0 ? 1n : -1n;
    this.realizedX += pxX * closing * sign - removed;
    this.cost -= removed;
    const left = this.units + signed;
    // Flipped: the rest opens at this fill's price.
    if (left !== 0 && Math.sign(left) !== Math.sign(this.units)) this.cost = pxX * BigInt(left);
    this.units = left;
  }

  unrealized(mark: number): number {
    if (this.units === 0 || Number.isNaN(mark)) return 0;
    return Number(BigInt(Math.round(mark * this.pxScale)) * BigInt(this.units) - this.cost) / (this.pxScale * this.qtyScale);
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
    this.cost = BigInt(Math.round(s.avgPx * this.pxScale)) * BigInt(this.units);
    this.realizedX = BigInt(Math.round(s.realized * this.pxScale * this.qtyScale));
    this.fees = s.fees;
  }
}
