import { z } from 'zod';
import { Vwap } from '@hft/features';
import { TickKind, type OrderEvent, type Tick } from '@hft/messages';
import { defineStrategy, type Strategy, type StrategyContext } from '../strategy.js';

export const vwapParams = z
  .object({
    kind: z.literal('vwap'),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    /** Parent order size. */
    quantity: z.number().positive(),
    /** Work the parent over this much data time from the first tick. */
    horizon_s: z.number().positive(),
    slices: z.number().int().min(1),
    /** How far through the touch each child goes, in ticks. */
    limit_ticks: z.number().int().nonnegative().default(0),
    /**
     * ioc: each child takes what the book offers now, the rest rolls into the next slice.
     * passive: each child rests at the touch (or the last trade when there is no book) until the next
     * slice, when it is canceled and what is left rolls on; it fills on trades through its price.
     */
    child: z.enum(['ioc', 'passive']).default('ioc'),
  })
  .strict();
export type VwapParams = z.output<typeof vwapParams>;

/**
 * Works a parent order in child slices that follow the traded-volume profile: at each slice
 * boundary the child is the remaining quantity weighted by how the last interval's market volume
 * compares with the average interval so far (equal slices when volume is flat), the last slice takes
 * what is left. Children are IOC limits at the touch; an unfilled part rolls into the next slice.
 * Reports the VWAP achieved against the market VWAP over the same period.
 */
export class VwapExecution implements Strategy {
  readonly symbols: string[];
  readonly timerMs: number;
  private start: bigint | null = null;
  private slice = 0;
  private intervalVolume = 0;
  private totalVolume = 0;
  private readonly market = new Vwap();
  private readonly achieved = new Vwap();
  private done = false;
  /** Children actually sent: [slice, qty]. */
  readonly children: [number, number][] = [];

  constructor(
    readonly id: string,
    readonly p: VwapParams,
  ) {
    this.symbols = [p.symbol];
    this.timerMs = (p.horizon_s * 1000) / p.slices;
  }

  get filled(): number {
    return this.achieved.volume;
  }

  onTick(t: Tick, ctx: StrategyContext): void {
    if (this.start === null) {
      this.start = t.tsEvent;
      // Slice 1 goes out at the start of the horizon.
      this.fire(ctx);
    }
    if (t.kind !== TickKind.Trade || this.done) return;
    this.intervalVolume += t.qty;
    this.totalVolume += t.qty;
    this.market.add(t.price, t.qty);
  }

  onTimer(_now: bigint, ctx: StrategyContext): void {
    if (this.start !== null && !this.done) this.fire(ctx);
  }

  private fire(ctx: StrategyContext): void {
    const p = this.p;
    this.slice++;
    if (this.slice > p.slices) {
      for (const o of ctx.openOrders(p.symbol)) ctx.cancel(o.clientOrderId);
      this.finish(ctx, 'horizon');
      return;
    }
    // A passive child that did not fill makes way for the next one (its rest rolls on once canceled).
    if (p.child === 'passive') for (const o of ctx.openOrders(p.symbol)) ctx.cancel(o.clientOrderId);
    const working = ctx.openOrders(p.symbol).reduce((a, o) => a + o.leavesQty, 0);
    const remaining = p.quantity - this.filled - working;
    const slicesLeft = p.slices - this.slice + 1;
    const elapsed = this.slice - 1;
    const avg = elapsed > 0 ? this.totalVolume / elapsed : 0;
    const weight = elapsed === 0 || avg === 0 ? 1 : Math.min(4, Math.max(0.25, this.intervalVolume / avg));
    this.intervalVolume = 0;
    const want = slicesLeft === 1 ? remaining : (remaining * weight) / (weight + slicesLeft - 1);
    const qty = ctx.roundQty(p.symbol, want);
    if (qty <= 0) return;
    const f = ctx.features(p.symbol);
    const inst = ctx.instrument(p.symbol);
    const through = (p.limit_ticks * inst.tickUnits) / inst.priceScale;
    const ref = p.side === 'buy' ? f.bestAsk : f.bestBid;
    const fallback = f.lastPrice;
    const touch = Number.isNaN(ref) ? fallback : ref;
    if (Number.isNaN(touch)) return;
    const price = ctx.roundPrice(p.symbol, p.side === 'buy' ? touch + through : touch - through, p.side === 'buy' ? 'up' : 'down');
    ctx.signal('slice');
    if (ctx.submit({ symbol: p.symbol, side: p.side, qty, price, tif: p.child === 'ioc' ? 'ioc' : 'gtc', tag: `slice-${this.slice}` })) this.children.push([this.slice, qty]);
  }

  onExecutionReport(r: OrderEvent, ctx: StrategyContext): void {
    if (r.type !== 'OrderFilled') return;
    this.achieved.add(r.lastPx, r.lastQty);
    if (this.filled >= this.p.quantity - 1e-12) this.finish(ctx, 'filled');
  }

  private finish(ctx: StrategyContext, why: string): void {
    if (this.done) return;
    this.done = true;
    ctx.signal(`done_${why}`);
    ctx.log.info({ filled: this.filled, quantity: this.p.quantity, achievedVwap: this.achieved.value, marketVwap: this.market.value, slippageBps: this.slippageBps() }, `VWAP parent ${why}`);
  }

  /** Achieved vs market VWAP in bps, positive = worse than the market (paid more / sold lower). */
  slippageBps(): number {
    const a = this.achieved.value;
    const m = this.market.value;
    if (Number.isNaN(a) || Number.isNaN(m)) return Number.NaN;
    return ((a - m) / m) * 1e4 * (this.p.side === 'buy' ? 1 : -1);
  }

  stats(): Record<string, number> {
    return {
      filled_ratio: this.filled / this.p.quantity,
      achieved_vwap: this.achieved.value,
      market_vwap: this.market.value,
      slippage_bps: this.slippageBps(),
    };
  }
}

export const vwapExecution = defineStrategy({
  kind: 'vwap',
  params: vwapParams,
  create: (id, params) => new VwapExecution(id, params),
});
