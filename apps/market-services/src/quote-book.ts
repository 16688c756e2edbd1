import type { BookSnapshot, OptionChainSnapshot, Tick } from '@hft/messages';

export interface LastTrade {
  price: number;
  qty: number;
  tsMs: number;
}

/** The live part of a quote: top of book, last trade, open interest (from option chain snapshots). */
export class QuoteBook {
  private readonly books = new Map<string, BookSnapshot>();
  private readonly trades = new Map<string, LastTrade>();
  private readonly oi = new Map<string, number>();

  onTrade(t: Tick): void {
    this.trades.set(t.symbol, { price: t.price, qty: t.qty, tsMs: Number(t.tsEvent / 1_000_000n) });
  }

  onBook(b: BookSnapshot): void {
    this.books.set(b.symbol, b);
  }

  onChain(s: OptionChainSnapshot): void {
    for (const e of s.expiries) {
      for (const k of e.strikes) {
        for (const q of [k.call, k.put]) if (q && q.openInterest !== null) this.oi.set(q.symbol, q.openInterest);
      }
    }
  }

  top(symbol: string): { bid: number | null; bidSize: number | null; ask: number | null; askSize: number | null } {
    const b = this.books.get(symbol);
    return { bid: b?.bids[0]?.price ?? null, bidSize: b?.bids[0]?.qty ?? null, ask: b?.asks[0]?.price ?? null, askSize: b?.asks[0]?.qty ?? null };
  }

  last(symbol: string): LastTrade | null {
    return this.trades.get(symbol) ?? null;
  }

  openInterest(symbol: string): number | null {
    return this.oi.get(symbol) ?? null;
  }
}
