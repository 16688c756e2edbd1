import { z } from 'zod';
import type { OptionChainSnapshot, OptionQuoteAnalytics, OrderEvent } from '@hft/messages';
import { defineStrategy, type Strategy, type StrategyContext } from '../strategy.js';

export const deltaHedgerParams = z
  .object({
    kind: z.literal('delta_hedger'),
    /** The underlying: the hedge is traded in it, and its chain snapshots give the option's delta. */
    symbol: z.string(),
    /** The option contract held (e.g. AAPL260320C190). */
    option: z.string(),
    /** The option position to build and keep, in contracts; negative is short (the usual case). */
    option_qty: z.number().refine((q) => q !== 0, 'must not be 0'),
    /** Portfolio delta (shares) tolerated either side of zero before a hedge is sent. */
    band: z.number().positive(),
    /** How far through the touch the IOC limits go, in ticks (the hedge must fill, not rest). */
    slippage_ticks: z.number().int().nonnegative().default(5),
  })
  .strict();
export type DeltaHedgerParams = z.output<typeof deltaHedgerParams>;

const HEDGE = 'hedge';
const OPEN = 'open_option';
/** Top-ups of a partly filled hedge per snapshot. */
const MAX_RETRIES = 3;

/**
 * Holds an option position and keeps the book delta-neutral with the underlying. On each chain
 * snapshot: first build the option position (IOC limits through the option's touch), then, once the
 * portfolio delta (option contracts x delta x multiplier + underlying shares) is outside +-band,
 * trade the underlying back to zero delta. One order per leg at a time; the deltas are market-data's
 * (the same IVs and greeks risk checks its greek limits with).
 */
export class DeltaHedger implements Strategy {
  readonly symbols: string[];
  readonly underlyings: string[];
  private optionDelta = Number.NaN;
  private multiplier = Number.NaN;
  /** Where the option sits in the snapshot (expiry, strike indexes), found once. */
  private at: { e: number; k: number; right: 'call' | 'put' } | null = null;
  private misconfigured = false;
  private hedges = 0;
  private snapshots = 0;
  private outOfBand = 0;
  private maxAfterHedge = 0;
  private lastDelta = Number.NaN;
  private retries = 0;

  constructor(
    readonly id: string,
    readonly p: DeltaHedgerParams,
  ) {
    this.symbols = [p.symbol, p.option];
    this.underlyings = [p.symbol];
  }

  /** Portfolio delta in shares at the latest snapshot's option delta (NaN before one). */
  delta(ctx: StrategyContext): number {
    return ctx.position(this.p.option).qty * this.optionDelta * this.multiplier + ctx.position(this.p.symbol).qty;
  }

  onChain(snap: OptionChainSnapshot, ctx: StrategyContext): void {
    const q = this.quote(snap, ctx);
    if (!q) return;
    this.snapshots++;
    if (!q.greeks) {
      ctx.signal(`no_greeks_${q.code}`);
      return;
    }
    this.optionDelta = q.greeks.delta;
    this.openOption(q, ctx);
    const delta = this.delta(ctx);
    this.lastDelta = delta;
    if (Math.abs(delta) <= this.p.band) return;
    this.outOfBand++;
    this.retries = MAX_RETRIES;
    this.hedge(delta, ctx);
  }

  /** Trade the underlying against `delta` with an IOC through the touch; one hedge at a time. */
  private hedge(delta: number, ctx: StrategyContext): void {
    if (ctx.openOrders(this.p.symbol).length > 0) return;
    const f = ctx.features(this.p.symbol);
    const qty = ctx.roundQty(this.p.symbol, Math.abs(delta));
    if (qty <= 0 || Number.isNaN(f.bestBid) || Number.isNaN(f.bestAsk)) return;
    const inst = ctx.instrument(this.p.symbol);
    const slip = (this.p.slippage_ticks * inst.tickUnits) / inst.priceScale;
    const side = delta > 0 ? 'sell' : 'buy';
    const price = ctx.roundPrice(this.p.symbol, side === 'buy' ? f.bestAsk + slip : f.bestBid - slip, 'nearest');
    ctx.signal(HEDGE);
    if (ctx.submit({ symbol: this.p.symbol, side, qty, price, tif: 'ioc', tag: HEDGE })) this.hedges++;
  }

  onExecutionReport(e: OrderEvent, ctx: StrategyContext): void {
    if (Number.isNaN(this.optionDelta)) return;
    if (e.type === 'OrderFilled') this.lastDelta = this.delta(ctx);
    if (e.symbol !== this.p.symbol || ctx.openOrders(this.p.symbol).length > 0) return;
    // An IOC that took only part of the touch is topped up at once, a few times per snapshot at most;
    // a denied or rejected one waits for the next snapshot (its cause does not go away in microseconds).
    if (Math.abs(this.lastDelta) > this.p.band && this.retries > 0 && e.type !== 'OrderDenied' && e.type !== 'OrderRejected') {
      this.retries--;
      this.hedge(this.lastDelta, ctx);
      if (ctx.openOrders(this.p.symbol).length > 0) return;
    }
    // The hedge is done (filled, the IOC's rest canceled, or refused): how far from neutral it left the book.
    this.maxAfterHedge = Math.max(this.maxAfterHedge, Math.abs(this.lastDelta));
  }

  /** Build the option position towards option_qty while the chain quotes it two-sided. */
  private openOption(q: OptionQuoteAnalytics, ctx: StrategyContext): void {
    const want = this.p.option_qty - ctx.position(this.p.option).qty;
    if (want === 0 || ctx.openOrders(this.p.option).length > 0 || q.bid === null || q.ask === null) return;
    const inst = ctx.instrument(this.p.option);
    const slip = (this.p.slippage_ticks * inst.tickUnits) / inst.priceScale;
    const side = want > 0 ? 'buy' : 'sell';
    const price = ctx.roundPrice(this.p.option, side === 'buy' ? q.ask + slip : Math.max(q.bid - slip, inst.tickUnits / inst.priceScale), 'nearest');
    ctx.signal(OPEN);
    ctx.submit({ symbol: this.p.option, side, qty: ctx.roundQty(this.p.option, Math.abs(want)), price, tif: 'ioc', tag: OPEN });
  }

  /** The option's analytics in a snapshot; the place is looked up once (a chain's layout is fixed). */
  private quote(snap: OptionChainSnapshot, ctx: StrategyContext): OptionQuoteAnalytics | null {
    if (this.misconfigured) return null;
    if (!this.at) {
      const o = ctx.instrument(this.p.option).option;
      if (!o || o.underlying !== this.p.symbol) {
        this.misconfigured = true;
        ctx.log.error({ option: this.p.option, symbol: this.p.symbol }, `${this.p.option} is not an option on ${this.p.symbol}: the hedger does nothing`);
        return null;
      }
      const e = snap.expiries.findIndex((x) => x.expiry === o.expiry);
      const k = e < 0 ? -1 : snap.expiries[e]!.strikes.findIndex((x) => x.strike === o.strike);
      if (k < 0) return null;
      this.at = { e, k, right: o.right };
      this.multiplier = o.multiplier;
    }
    const s = snap.expiries[this.at.e]?.strikes[this.at.k];
    return (this.at.right === 'call' ? s?.call : s?.put) ?? null;
  }

  stats(): Record<string, number> {
    return { delta: this.lastDelta, option_delta: this.optionDelta, band: this.p.band, hedges: this.hedges, snapshots: this.snapshots, out_of_band_snapshots: this.outOfBand, max_abs_delta_after_hedge: this.maxAfterHedge };
  }
}

export const deltaHedger = defineStrategy({
  kind: 'delta_hedger',
  params: deltaHedgerParams,
  create: (id, params) => new DeltaHedger(id, params),
});
