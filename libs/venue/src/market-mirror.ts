import { Aggressor, type BookSnapshot, type Tick } from '@hft/messages';
import { OrderKind, Side, type CommandBatch } from '@hft/native';

/** Synthetic order ids (the market's liquidity) live above every OMS order id. */
export const SYNTH_BASE = 2 ** 52;
/** Owner of synthetic resting liquidity; market trades are sent with owner 0 (no self-trade check). */
export const MARKET_OWNER = 1;

interface Chunk {
  id: number;
  leaves: number;
}

/**
 * The replayed market's book, mirrored into the native engine as resting synthetic orders so that
 * our orders and market liquidity share one price-time queue. The queue-position model:
 *
 * - A level is a FIFO of chunks. Size added to a level joins the back (behind any of our orders
 *   already resting there); size removed comes off the newest chunks first (recent orders are the
 *   most likely to cancel), so our position only improves when size ahead of us trades.
 * - A market trade at price P is sent as an IOC for its size: it eats the queue from the front, and
 *   reaches our order only once the size ahead of it is gone (or the trade went through our price).
 * - A level that appears at or through one of our resting orders' prices trades with it at our price.
 * - Liquidity our own aggressive orders took stays consumed (the replay does not know about us) until
 *   the level leaves the book or the market trades at that price.
 */
export class MarketMirror {
  private readonly levels: [Map<number, Chunk[]>, Map<number, Chunk[]>] = [new Map(), new Map()];
  private readonly where = new Map<number, { side: 0 | 1; price: number }>();
  private readonly consumed: [Map<number, number>, Map<number, number>] = [new Map(), new Map()];
  /** Sides of synthetic orders sent but not yet seen resting (engine events carry no side). */
  private readonly sent = new Map<number, 0 | 1>();
  private mid = Number.NaN;

  constructor(
    readonly book: number,
    readonly depth: number,
    private readonly nextId: () => number,
  ) {}

  static isSynthetic(id: number): boolean {
    return id >= SYNTH_BASE;
  }

  /** Bring the mirror to a new snapshot: removals and reductions first, then added size. */
  sync(s: BookSnapshot, cmds: CommandBatch): void {
    const sides: [0 | 1, { priceUnits: number; qtyUnits: number }[]][] = [
      [Side.Buy, s.bids],
      [Side.Sell, s.asks],
    ];
    const adds: [0 | 1, number, number][] = [];
    for (const [side, levels] of sides) {
      const mine = this.levels[side];
      const seen = new Set(levels.map((l) => l.priceUnits));
      // Levels inside the visible range that the snapshot no longer has are gone.
      const full = levels.length >= this.depth;
      const edge = levels.length ? levels[levels.length - 1]!.priceUnits : 0;
      for (const [price, chunks] of mine) {
        const visible = !full || (side === Side.Buy ? price >= edge : price <= edge);
        if (visible && !seen.has(price)) {
          for (const c of chunks) cmds.cancel(this.book, c.id);
          this.consumed[side].delete(price);
        }
      }
      for (const l of levels) {
        const target = Math.max(0, l.qtyUnits - (this.consumed[side].get(l.priceUnits) ?? 0));
        const chunks = mine.get(l.priceUnits) ?? [];
        let current = 0;
        for (const c of chunks) current += c.leaves;
        if (target < current) {
          let cut = current - target;
          for (let i = chunks.length - 1; i >= 0 && cut > 0; i--) {
            const c = chunks[i]!;
            const take = Math.min(c.leaves, cut);
            cmds.reduce(this.book, c.id, c.leaves - take);
            cut -= take;
          }
        } else if (target > current) {
          adds.push([side, l.priceUnits, target - current]);
        }
      }
    }
    for (const [side, price, qty] of adds) {
      const orderId = this.nextId();
      this.sent.set(orderId, side);
      cmds.newOrder({ book: this.book, orderId, side, kind: OrderKind.LimitGtc, price, qty, owner: MARKET_OWNER });
    }
    const bid = s.bids[0];
    const ask = s.asks[0];
    this.mid = bid && ask ? (bid.priceUnits + ask.priceUnits) / 2 : Number.NaN;
  }

  /** A market trade eats the queue at and through its price. */
  trade(t: Tick, cmds: CommandBatch): void {
    let aggressor = t.aggressor;
    if (aggressor === Aggressor.Unknown) {
      if (Number.isNaN(this.mid) || t.priceUnits === this.mid) return;
      aggressor = t.priceUnits > this.mid ? Aggressor.Buyer : Aggressor.Seller;
    }
    const side = aggressor === Aggressor.Buyer ? Side.Buy : Side.Sell;
    cmds.newOrder({ book: this.book, orderId: this.nextId(), side, kind: OrderKind.LimitIoc, price: t.priceUnits, qty: t.qtyUnits, owner: 0 });
    // The market moved through this price: what we took there is no longer ours to remember.
    this.consumed[side === Side.Buy ? Side.Sell : Side.Buy].delete(t.priceUnits);
  }

  /** A synthetic order was accepted; what it matched on arrival follows as fills. */
  added(id: number, price: number, leaves: number): void {
    const side = this.sent.get(id);
    this.sent.delete(id);
    if (side === undefined || leaves <= 0) return;
    const list = this.levels[side].get(price) ?? [];
    list.push({ id, leaves });
    this.levels[side].set(price, list);
    this.where.set(id, { side, price });
  }

  /** A synthetic order's open size changed (fill, reduce) or it is gone (leaves 0). */
  changed(id: number, leaves: number): void {
    const w = this.where.get(id);
    if (!w) return;
    const list = this.levels[w.side].get(w.price)!;
    const i = list.findIndex((c) => c.id === id);
    if (i < 0) return;
    if (leaves > 0) {
      list[i]!.leaves = leaves;
      return;
    }
    list.splice(i, 1);
    this.where.delete(id);
    if (list.length === 0) this.levels[w.side].delete(w.price);
  }

  /** One of our orders took `qty` of market liquidity from a synthetic order. */
  tookFrom(id: number, qty: number): void {
    const w = this.where.get(id);
    if (!w) return;
    const c = this.consumed[w.side];
    c.set(w.price, (c.get(w.price) ?? 0) + qty);
  }

  /** Resting market size at a price (for tests and status). */
  sizeAt(side: 0 | 1, price: number): number {
    return (this.levels[side].get(price) ?? []).reduce((a, c) => a + c.leaves, 0);
  }
}
