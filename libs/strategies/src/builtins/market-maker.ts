import { z } from 'zod';
import { imbalance } from '@hft/features';
import type { BookSnapshot, Side } from '@hft/messages';
import { defineStrategy, type Strategy, type StrategyContext } from '../strategy.js';

export const marketMakerParams = z
  .object({
    kind: z.literal('market_maker'),
    symbol: z.string(),
    /** Full quoted spread around the fair price, in basis points. */
    spread_bps: z.number().positive(),
    quote_qty: z.number().positive(),
    /** Position limit: no more quotes on the side that would grow it beyond this. */
    max_inventory: z.number().positive(),
    /** Fair price shift against the position at full inventory, in bps. */
    inventory_skew_bps: z.number().nonnegative().default(0),
    /** Fair price shift toward the heavier side at full book imbalance, in bps. */
    imbalance_skew_bps: z.number().nonnegative().default(0),
    /** Minimum data time between two replacements of the same side's quote. */
    requote_ms: z.number().nonnegative().default(250),
    /** Levels per side for the imbalance. */
    imbalance_levels: z.number().int().positive().default(5),
  })
  .strict();
export type MarketMakerParams = z.output<typeof marketMakerParams>;

/**
 * Quotes both sides around a fair price: the mid, skewed toward the heavier side of the book and
 * away from the current inventory. Quotes are post-only, never cross the touch, stop growing the
 * position at max_inventory, and are canceled and replaced when the target price moves (at most
 * once per requote_ms per side).
 */
export class MarketMaker implements Strategy {
  readonly symbols: string[];
  private readonly lastQuoteAt: Record<Side, bigint> = { buy: -(10n ** 18n), sell: -(10n ** 18n) };
  private fair = Number.NaN;
  private invRatio = 0;

  constructor(
    readonly id: string,
    readonly p: MarketMakerParams,
  ) {
    this.symbols = [p.symbol];
  }

  onBook(book: BookSnapshot, ctx: StrategyContext): void {
    const bid = book.bids[0];
    const ask = book.asks[0];
    if (!bid || !ask) return;
    const p = this.p;
    const inst = ctx.instrument(p.symbol);
    const tick = inst.tickUnits / inst.priceScale;
    const inv = ctx.position(p.symbol).qty;
    this.invRatio = Math.max(-1, Math.min(1, inv / p.max_inventory));
    const obi = imbalance(book.bids, book.asks, p.imbalance_levels);
    const mid = (bid.price + ask.price) / 2;
    this.fair = mid * (1 + (p.imbalance_skew_bps * obi - p.inventory_skew_bps * this.invRatio) / 1e4);
    const half = (this.fair * p.spread_bps) / 2 / 1e4;
    const targets: Record<Side, { price: number; qty: number }> = {
      buy: {
        price: Math.min(ctx.roundPrice(p.symbol, this.fair - half, 'down'), ctx.roundPrice(p.symbol, ask.price - tick, 'nearest')),
        qty: ctx.roundQty(p.symbol, Math.min(p.quote_qty, p.max_inventory - inv)),
      },
      sell: {
        price: Math.max(ctx.roundPrice(p.symbol, this.fair + half, 'up'), ctx.roundPrice(p.symbol, bid.price + tick, 'nearest')),
        qty: ctx.roundQty(p.symbol, Math.min(p.quote_qty, p.max_inventory + inv)),
      },
    };
    for (const side of ['buy', 'sell'] as const) this.work(side, targets[side].price, targets[side].qty, ctx);
  }

  private work(side: Side, price: number, qty: number, ctx: StrategyContext): void {
    const live = ctx.openOrders(this.p.symbol).filter((o) => o.side === side);
    const active = live.filter((o) => o.status !== 'PendingCancel');
    const now = ctx.now();
    if (qty <= 0) {
      for (const o of active) if (ctx.cancel(o.clientOrderId)) ctx.signal('inventory_limit');
      return;
    }
    const current = active[0];
    if (current && current.price === price) return;
    // Wait for a cancel in flight before quoting again, and do not churn faster than requote_ms.
    if (!current && live.length > 0) return;
    if (current && now - this.lastQuoteAt[side] < BigInt(Math.round(this.p.requote_ms * 1e6))) return;
    if (current) {
      ctx.cancel(current.clientOrderId);
      ctx.signal('requote');
    } else {
      ctx.signal('quote');
    }
    if (ctx.submit({ symbol: this.p.symbol, side, qty, price, postOnly: true, tag: current ? 'requote' : 'quote' })) this.lastQuoteAt[side] = now;
  }

  stats(): Record<string, number> {
    return { fair_price: this.fair, inventory_ratio: this.invRatio };
  }
}

export const marketMaker = defineStrategy({
  kind: 'market_maker',
  params: marketMakerParams,
  create: (id, params) => new MarketMaker(id, params),
});
