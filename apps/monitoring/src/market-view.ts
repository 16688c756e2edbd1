import { CandleBuilder, type Candle } from '@hft/features';
import { Aggressor, TICK_KIND_NAMES, TickKind, type BookSnapshot, type Tick, type TickKindName } from '@hft/messages';

export interface TickView {
  symbol: string;
  seq: number;
  ts: string;
  kind: TickKindName;
  side: 'buy' | 'sell' | null;
  price: number;
  qty: number;
}

export function tickView(t: Tick): TickView {
  return {
    symbol: t.symbol,
    seq: t.seq,
    ts: t.tsEvent.toString(),
    kind: TICK_KIND_NAMES[t.kind],
    side: t.aggressor === Aggressor.Buyer ? 'buy' : t.aggressor === Aggressor.Seller ? 'sell' : null,
    price: t.price,
    qty: t.qty,
  };
}

export function candleView(c: Candle): Record<string, unknown> {
  return { ...c, start: c.start.toString(), intervalNs: c.intervalNs.toString() };
}

/** What the dashboard shows of the market: recent trades, the latest book and 1-minute candles per symbol. */
export class MarketView {
  private readonly trades = new Map<string, TickView[]>();
  private readonly books = new Map<string, BookSnapshot>();
  private readonly candles = new Map<string, CandleBuilder>();
  private readonly closed = new Map<string, Candle[]>();
  ticks = 0;
  private readonly lastSeq = new Map<string, number>();

  constructor(private readonly keep: number) {}

  /**
   * Returns a candle when this trade closed one. Ticks are counted by sequence number, so the figure
   * is the same whether monitoring takes every tick or the trades-only topic (quotes are the gaps).
   */
  onTick(t: Tick): Candle | null {
    const last = this.lastSeq.get(t.symbol);
    this.ticks += last === undefined || t.seq <= last ? 1 : t.seq - last;
    this.lastSeq.set(t.symbol, t.seq);
    if (t.kind !== TickKind.Trade) return null;
    const list = this.trades.get(t.symbol) ?? [];
    list.push(tickView(t));
    if (list.length > this.keep) list.splice(0, list.length - this.keep);
    this.trades.set(t.symbol, list);
    let b = this.candles.get(t.symbol);
    if (!b) {
      b = new CandleBuilder(t.symbol);
      this.candles.set(t.symbol, b);
    }
    const done = b.add(t.tsEvent, t.price, t.qty);
    if (done) {
      const c = this.closed.get(t.symbol) ?? [];
      c.push(done);
      if (c.length > 500) c.shift();
      this.closed.set(t.symbol, c);
    }
    return done;
  }

  onBook(b: BookSnapshot): void {
    this.books.set(b.symbol, b);
  }

  mid(symbol: string): number {
    const b = this.books.get(symbol);
    const bid = b?.bids[0];
    const ask = b?.asks[0];
    if (bid && ask) return (bid.price + ask.price) / 2;
    return this.trades.get(symbol)?.at(-1)?.price ?? Number.NaN;
  }

  /** Top of the book and the last trade (nulls when none yet). */
  quote(symbol: string): { symbol: string; bid: number | null; bidSize: number | null; ask: number | null; askSize: number | null; mid: number | null; last: number | null; lastSize: number | null; bookSeq: number | null; lastTradeTs: string | null } {
    const b = this.books.get(symbol);
    const bid = b?.bids[0];
    const ask = b?.asks[0];
    const t = this.trades.get(symbol)?.at(-1);
    return {
      symbol,
      bid: bid?.price ?? null,
      bidSize: bid?.qty ?? null,
      ask: ask?.price ?? null,
      askSize: ask?.qty ?? null,
      mid: bid && ask ? (bid.price + ask.price) / 2 : null,
      last: t?.price ?? null,
      lastSize: t?.qty ?? null,
      bookSeq: b?.seq ?? null,
      lastTradeTs: t?.ts ?? null,
    };
  }

  symbols(): string[] {
    return [...new Set([...this.trades.keys(), ...this.books.keys()])].sort();
  }

  snapshot(symbol: string): { symbol: string; book: { bids: [number, number][]; asks: [number, number][]; seq: number } | null; trades: TickView[]; candles: Record<string, unknown>[] } {
    const b = this.books.get(symbol);
    const current = this.candles.get(symbol)?.current;
    return {
      symbol,
      book: b ? { seq: b.seq, bids: b.bids.map((l) => [l.price, l.qty]), asks: b.asks.map((l) => [l.price, l.qty]) } : null,
      trades: (this.trades.get(symbol) ?? []).slice(-50),
      candles: [...(this.closed.get(symbol) ?? []), ...(current ? [current] : [])].slice(-120).map(candleView),
    };
  }
}
