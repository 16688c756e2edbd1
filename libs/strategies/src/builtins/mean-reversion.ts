import { z } from 'zod';
import { RollingStats } from '@hft/features';
import type { BookSnapshot } from '@hft/messages';
import { defineStrategy, type Strategy, type StrategyContext } from '../strategy.js';

export const meanReversionParams = z
  .object({
    kind: z.literal('mean_reversion'),
    symbol: z.string(),
    /** Number of mid samples (one per book snapshot) in the rolling mean and deviation. */
    window: z.number().int().min(2),
    /** Enter when |z| reaches this. */
    entry_z: z.number().positive(),
    /** Exit when z comes back inside this. */
    exit_z: z.number().nonnegative(),
    order_qty: z.number().positive(),
    /** How far through the touch the IOC limit goes, in ticks. */
    slippage_ticks: z.number().int().nonnegative().default(0),
  })
  .strict()
  .refine((p) => p.exit_z < p.entry_z, { message: 'exit_z must be below entry_z', path: ['exit_z'] });
export type MeanReversionParams = z.output<typeof meanReversionParams>;

/**
 * z-score of the mid over a rolling window: flat and z >= entry sells, z <= -entry buys; a long exits
 * once z >= -exit, a short once z <= exit. Orders are IOC limits at the touch (plus slippage), one
 * at a time.
 */
export class MeanReversion implements Strategy {
  readonly symbols: string[];
  private readonly roll: RollingStats;
  private z = Number.NaN;

  constructor(
    readonly id: string,
    readonly p: MeanReversionParams,
  ) {
    this.symbols = [p.symbol];
    this.roll = new RollingStats(p.window);
  }

  onBook(book: BookSnapshot, ctx: StrategyContext): void {
    const bid = book.bids[0];
    const ask = book.asks[0];
    if (!bid || !ask) return;
    const mid = (bid.price + ask.price) / 2;
    this.roll.update(mid);
    if (!this.roll.full) return;
    this.z = this.roll.z(mid);
    if (ctx.openOrders(this.p.symbol).length > 0) return;
    const p = this.p;
    const inst = ctx.instrument(p.symbol);
    const slip = (p.slippage_ticks * inst.tickUnits) / inst.priceScale;
    const pos = ctx.position(p.symbol).qty;
    const buy = (qty: number, why: string): void => {
      ctx.signal(why);
      ctx.submit({ symbol: p.symbol, side: 'buy', qty, price: ctx.roundPrice(p.symbol, ask.price + slip, 'nearest'), tif: 'ioc', tag: why });
    };
    const sell = (qty: number, why: string): void => {
      ctx.signal(why);
      ctx.submit({ symbol: p.symbol, side: 'sell', qty, price: ctx.roundPrice(p.symbol, bid.price - slip, 'nearest'), tif: 'ioc', tag: why });
    };
    if (pos === 0) {
      if (this.z >= p.entry_z) sell(p.order_qty, 'enter_short');
      else if (this.z <= -p.entry_z) buy(p.order_qty, 'enter_long');
    } else if (pos > 0 && this.z >= -p.exit_z) {
      sell(pos, 'exit_long');
    } else if (pos < 0 && this.z <= p.exit_z) {
      buy(-pos, 'exit_short');
    }
  }

  stats(): Record<string, number> {
    return { zscore: this.z };
  }
}

export const meanReversion = defineStrategy({
  kind: 'mean_reversion',
  params: meanReversionParams,
  create: (id, params) => new MeanReversion(id, params),
});
