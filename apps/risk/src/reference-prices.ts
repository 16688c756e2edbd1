import { TickKind, type BookSnapshot, type Tick } from '@hft/messages';

/**
 * Reference prices for the fat-finger band, market-order notional and unrealised PnL: the mid of the
 * latest book, or the last trade when there is no two-sided book.
 */
export class ReferencePrices {
  private readonly mids = new Map<string, number>();
  private readonly trades = new Map<string, number>();

  onBook(b: BookSnapshot): void {
    const bid = b.bids[0];
    const ask = b.asks[0];
    if (bid && ask) {
      this.mids.set(b.symbol, (bid.price + ask.price) / 2);
    }
  }

  onTick(t: Tick): void {
    if (t.kind === TickKind.Trade) {
      this.trades.set(t.symbol, t.price);
    }
  }

  /** Prices recovered from Redis after a restart, until market data refreshes them. */
  seed(marks: Map<string, number>): void {
    for (const [s, p] of marks) if (!this.mids.has(s) && !this.trades.has(s)) this.mids.set(s, p);
  }

  get(symbol: string): number | null {
    return this.mids.get(symbol) ?? this.trades.get(symbol) ?? null;
  }

  /** Every current mark (for persisting). */
  all(): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of new Set([...this.mids.keys(), ...this.trades.keys()])) out.set(s, this.get(s)!);
    return out;
  }
}
