import { z } from 'zod';
import type { ConditionalEvent, ConditionalOrderRefused, Tick } from '@hft/messages';
import { TickKind } from '@hft/messages';
import { defineStrategy, type Strategy, type StrategyContext } from '../strategy.js';

export const rangeBreakoutParams = z
  .object({
    kind: z.literal('range_breakout'),
    symbol: z.string(),
    /** The range: the high and low of the trades in this much data time. */
    range_ms: z.number().int().min(1000),
    order_qty: z.number().positive(),
    /** The entry stop this many ticks above the range high. */
    entry_ticks: z.number().int().min(1).default(1),
    /** The target this many ticks above the entry. */
    target_ticks: z.number().int().min(1),
    /** The stop-loss starts this many ticks below the entry... */
    stop_ticks: z.number().int().min(1),
    /** ...and trails the best price since the fill by this many ticks (0: a fixed stop). */
    trail_ticks: z.number().int().min(0).default(0),
  })
  .strict();
export type RangeBreakoutParams = z.output<typeof rangeBreakoutParams>;

/**
 * Range breakout with a bracket: after each range window of trades, a buy stop just above its high,
 * with a target and a (trailing) stop-loss that wait from the entry's fill, OCO. The bracket waits in
 * the trigger engine (the OMS's, or the backtest's); the next range starts when it is over.
 */
export class RangeBreakout implements Strategy {
  readonly symbols: string[];
  private start: bigint | null = null;
  private high = -Infinity;
  private low = Infinity;
  private working: string | null = null;
  private brackets = 0;
  private completed = 0;
  private ended = 0;

  constructor(
    readonly id: string,
    readonly p: RangeBreakoutParams,
  ) {
    this.symbols = [p.symbol];
  }

  onTick(t: Tick, ctx: StrategyContext): void {
    if (t.kind !== TickKind.Trade || this.working) return;
    this.start ??= t.tsEvent;
    this.high = Math.max(this.high, t.price);
    this.low = Math.min(this.low, t.price);
    if (t.tsEvent - this.start < BigInt(this.p.range_ms) * 1_000_000n) return;
    const p = this.p;
    const inst = ctx.instrument(p.symbol);
    const tick = inst.tickUnits / inst.priceScale;
    const entry = ctx.roundPrice(p.symbol, this.high + p.entry_ticks * tick, 'up');
    ctx.signal('range_set');
    this.working = ctx.submit({
      symbol: p.symbol,
      side: 'buy',
      qty: p.order_qty,
      type: 'stop',
      triggerPrice: entry,
      target: ctx.roundPrice(p.symbol, entry + p.target_ticks * tick, 'nearest'),
      stopLoss: ctx.roundPrice(p.symbol, entry - p.stop_ticks * tick, 'nearest'),
      ...(p.trail_ticks > 0 ? { stopLossTrailingGap: ctx.roundPrice(p.symbol, p.trail_ticks * tick, 'nearest') } : {}),
      tag: 'breakout',
    });
    if (this.working) this.brackets++;
  }

  onConditionalEvent(e: ConditionalEvent | ConditionalOrderRefused, ctx: StrategyContext): void {
    if (e.conditionalId !== this.working) return;
    const over = e.type === 'ConditionalOrderRefused' || e.type === 'ConditionalOrderCompleted' || e.type === 'ConditionalOrderCanceled' || e.type === 'ConditionalOrderDenied' || e.type === 'ConditionalOrderRejected';
    if (!over) return;
    if (e.type === 'ConditionalOrderCompleted') this.completed++;
    else this.ended++;
    ctx.signal(e.type === 'ConditionalOrderCompleted' ? 'bracket_completed' : 'bracket_ended');
    // A new range from the next trade on.
    this.working = null;
    this.start = null;
    this.high = -Infinity;
    this.low = Infinity;
  }

  stats(): Record<string, number> {
    return { brackets: this.brackets, completed: this.completed, ended: this.ended, waiting: this.working ? 1 : 0 };
  }
}

export const rangeBreakout = defineStrategy({ kind: 'range_breakout', params: rangeBreakoutParams, create: (id, p) => new RangeBreakout(id, p) });
