import { z } from 'zod';
import type { OrderEvent, ScannerSuggestions, Tick } from '@hft/messages';
import { TickKind } from '@hft/messages';
import { defineStrategy, type Strategy, type StrategyContext } from '../strategy.js';

export const scannerMomentumParams = z
  .object({
    kind: z.literal('scanner_momentum'),
    /** Act on this many of each scan's suggestions, best first. */
    top: z.number().int().min(1).max(50).default(1),
    /** ...whose score is at least this. */
    min_score: z.number().default(0),
    /** Each entry buys about this much (quote currency), rounded down to the lot. */
    order_notional: z.number().positive(),
    /** The entry's limit: this many ticks through the last trade (an IOC that takes the offer). */
    entry_ticks: z.number().int().min(0).default(5),
    /** Sell a position after this much data time. */
    hold_ms: z.number().int().min(1000),
    /** Positions held at once at most. */
    max_positions: z.number().int().min(1).default(3),
  })
  .strict();
export type ScannerMomentumParams = z.output<typeof scannerMomentumParams>;

interface Holding {
  symbol: string;
  /** Data time of the suggestion; the entry goes on the symbol's next trade. */
  since: bigint;
  state: 'waiting' | 'entering' | 'held' | 'exiting';
  order: string | null;
  enteredAt: bigint | null;
}

/**
 * Trades the scanner's suggestions: for the best of each scan, subscribe to the symbol (it was not
 * in the strategy's feed before), buy on its next trade with a marketable IOC, and sell after hold_ms.
 */
export class ScannerMomentum implements Strategy {
  readonly symbols: string[] = [];
  readonly scanner = true;
  readonly timerMs = 1000;
  private readonly holdings = new Map<string, Holding>();
  private seen = 0;
  private entries = 0;
  private exits = 0;

  constructor(
    readonly id: string,
    readonly p: ScannerMomentumParams,
  ) {}

  onSuggestions(msg: ScannerSuggestions, ctx: StrategyContext): void {
    this.seen++;
    for (const s of msg.suggestions.slice(0, this.p.top)) {
      if (s.score < this.p.min_score || this.holdings.has(s.symbol) || this.holdings.size >= this.p.max_positions) continue;
      if (!ctx.subscribe(s.symbol)) continue;
      ctx.signal('suggestion_taken');
      this.holdings.set(s.symbol, { symbol: s.symbol, since: msg.tsEvent, state: 'waiting', order: null, enteredAt: null });
    }
  }

  onTick(t: Tick, ctx: StrategyContext): void {
    const h = this.holdings.get(t.symbol);
    if (!h || h.state !== 'waiting' || t.kind !== TickKind.Trade) return;
    const inst = ctx.instrument(t.symbol);
    const price = ctx.roundPrice(t.symbol, t.price + (this.p.entry_ticks * inst.tickUnits) / inst.priceScale, 'up');
    const qty = ctx.roundQty(t.symbol, this.p.order_notional / price);
    if (qty <= 0) {
      this.holdings.delete(t.symbol);
      return;
    }
    h.order = ctx.submit({ symbol: t.symbol, side: 'buy', qty, price, tif: 'ioc', tag: 'scanner_entry' });
    if (h.order) {
      h.state = 'entering';
      this.entries++;
    } else this.holdings.delete(t.symbol);
  }

  onExecutionReport(e: OrderEvent, ctx: StrategyContext): void {
    const h = this.holdings.get(e.symbol);
    if (!h || h.order !== e.clientOrderId) return;
    const done = e.type === 'OrderFilled' ? e.leavesQty === 0 : e.type === 'OrderCanceled' || e.type === 'OrderExpired' || e.type === 'OrderRejected' || e.type === 'OrderDenied';
    if (!done) return;
    const held = ctx.position(e.symbol).qty;
    if (h.state === 'entering') {
      if (held > 0) {
        h.state = 'held';
        h.enteredAt = ctx.now();
      } else this.holdings.delete(e.symbol);
    } else if (h.state === 'exiting') {
      if (held > 0) h.state = 'held';
      else this.holdings.delete(e.symbol);
    }
  }

  onTimer(now: bigint, ctx: StrategyContext): void {
    for (const h of this.holdings.values()) {
      if (h.state !== 'held' || h.enteredAt === null || now - h.enteredAt < BigInt(this.p.hold_ms) * 1_000_000n) continue;
      const qty = ctx.position(h.symbol).qty;
      const last = ctx.features(h.symbol).lastPrice;
      if (qty <= 0 || !Number.isFinite(last)) continue;
      const inst = ctx.instrument(h.symbol);
      const price = ctx.roundPrice(h.symbol, Math.max(inst.tickUnits / inst.priceScale, last - (this.p.entry_ticks * inst.tickUnits) / inst.priceScale), 'down');
      h.order = ctx.submit({ symbol: h.symbol, side: 'sell', qty, price, tif: 'ioc', tag: 'scanner_exit' });
      if (h.order) {
        h.state = 'exiting';
        this.exits++;
      }
    }
  }

  stats(): Record<string, number> {
    return { scans: this.seen, entries: this.entries, exits: this.exits, holdings: this.holdings.size };
  }
}

export const scannerMomentum = defineStrategy({ kind: 'scanner_momentum', params: scannerMomentumParams, create: (id, p) => new ScannerMomentum(id, p) });
