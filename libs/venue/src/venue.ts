import type { Instrument } from '@hft/config';
import {
  envelope,
  unitsToDecimal,
  type BookSnapshot,
  type CancelAllOrders,
  type CancelOrder,
  type MessageInput,
  type OrderStatus,
  type QueryOrderStatus,
  type ReportedFill,
  type SubmitOrder,
  type Tick,
} from '@hft/messages';
import { CancelReason, CommandBatch, Ev, EVENT_STRIDE, EventKind, Liquidity, MatchingEngine, OrderKind, rejectName, Side, type StpMode } from '@hft/native';
import { MARKET_OWNER, MarketMirror, SYNTH_BASE } from './market-mirror.js';

export type VenueReport =
  | MessageInput<'OrderAccepted'>
  | MessageInput<'OrderRejected'>
  | MessageInput<'OrderFilled'>
  | MessageInput<'OrderCanceled'>
  | MessageInput<'OrderCancelRejected'>
  | MessageInput<'OrderExpired'>;

export interface Fees {
  maker_bps: number;
  taker_bps: number;
}

export interface VenueOptions {
  stp: StpMode;
  fees: (symbol: string) => Fees;
  /** Finished orders kept for status queries. */
  history: number;
  /** Book depth of the market snapshots (levels per side). */
  depth: number;
  /** Prefix of execution ids: unique per venue run. */
  run: string;
}

interface VenueOrder {
  orderId: number;
  strategyId: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  price: number | null;
  cumQty: number;
  notional: number;
  status: OrderStatus;
  fills: ReportedFill[];
  tsTick: bigint | null;
}

export interface VenueStats {
  matchingSeconds: number;
  events: number;
}

const CANCEL_TEXT: Record<number, string> = {
  [CancelReason.User]: 'canceled on request',
  [CancelReason.SelfTrade]: 'self-trade prevention',
  [CancelReason.CancelAll]: 'cancel-all',
};

/**
 * The exchange simulator: one native L3 book per instrument holds our orders and the mirrored market
 * liquidity (see MarketMirror); every input becomes a batch of engine commands, and the engine's
 * events become execution reports.
 */
export class Venue {
  private readonly engine = new MatchingEngine();
  private readonly books = new Map<string, { index: number; inst: Instrument; mirror: MarketMirror }>();
  private readonly byIndex: { inst: Instrument; mirror: MarketMirror }[] = [];
  private readonly orders = new Map<number, VenueOrder>();
  private readonly finished: number[] = [];
  private finishedHead = 0;
  private readonly owners = new Map<string, number>();
  private synthetic = SYNTH_BASE;
  private execSeq = 0;
  private readonly cmds = new CommandBatch(256);
  readonly stats: VenueStats = { matchingSeconds: 0, events: 0 };
  rejects: Record<string, number> = {};

  constructor(
    instruments: readonly Instrument[],
    private readonly o: VenueOptions,
    private readonly report: (r: VenueReport) => void,
  ) {
    for (const inst of instruments) {
      const index = this.engine.addBook(inst.tickUnits, inst.lotUnits, o.stp);
      const mirror = new MarketMirror(index, o.depth, () => this.synthetic++);
      this.books.set(inst.symbol, { index, inst, mirror });
      this.byIndex[index] = { inst, mirror };
    }
  }

  private owner(strategyId: string): number {
    let id = this.owners.get(strategyId);
    if (id === undefined) {
      id = MARKET_OWNER + 1 + this.owners.size;
      this.owners.set(strategyId, id);
    }
    return id;
  }

  private reject(o: SubmitOrder, code: string, reason: string): void {
    this.rejects[code] = (this.rejects[code] ?? 0) + 1;
    this.report({ type: 'OrderRejected', ...envelope(o), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId ?? null, code, reason });
  }

  submit(o: SubmitOrder): 'accepted' | 'duplicate' | 'rejected' {
    if (o.orderId === undefined) {
      this.reject(o, 'MISSING_ORDER_ID', 'orders reach the venue through the OMS, which assigns orderId');
      return 'rejected';
    }
    if (this.orders.has(o.orderId)) return 'duplicate';
    const b = this.books.get(o.symbol);
    if (!b) {
      this.reject(o, 'UNKNOWN_SYMBOL', `${o.symbol} is not traded here`);
      return 'rejected';
    }
    const { inst } = b;
    const priceUnits = o.price === null ? 0 : o.price * inst.priceScale;
    const qtyUnits = o.quantity * inst.qtyScale;
    if (o.orderType === 'limit' && (Math.abs(priceUnits - Math.round(priceUnits)) > 1e-6 || Math.round(priceUnits) % inst.tickUnits !== 0)) {
      this.reject(o, 'PRICE_OFF_TICK', `price ${o.price} is not on the ${o.symbol} tick grid`);
      return 'rejected';
    }
    if (Math.abs(qtyUnits - Math.round(qtyUnits)) > 1e-6 || Math.round(qtyUnits) % inst.lotUnits !== 0) {
      this.reject(o, 'QTY_OFF_LOT', `quantity ${o.quantity} is not a multiple of the ${o.symbol} lot`);
      return 'rejected';
    }
    this.orders.set(o.orderId, {
      orderId: o.orderId,
      strategyId: o.strategyId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      quantity: o.quantity,
      price: o.price,
      cumQty: 0,
      notional: 0,
      status: 'PendingNew',
      fills: [],
      tsTick: o.tsTick,
    });
    const kind = o.orderType === 'market' ? OrderKind.Market : o.postOnly ? OrderKind.LimitPostOnly : o.timeInForce === 'ioc' ? OrderKind.LimitIoc : OrderKind.LimitGtc;
    this.cmds.newOrder({ book: b.index, orderId: o.orderId, side: o.side === 'buy' ? Side.Buy : Side.Sell, kind, price: Math.round(priceUnits), qty: Math.round(qtyUnits), owner: this.owner(o.strategyId) });
    this.run();
    return 'accepted';
  }

  cancel(c: CancelOrder): void {
    const o = c.orderId !== undefined ? this.orders.get(c.orderId) : undefined;
    const b = this.books.get(c.symbol);
    if (!o || !b || o.strategyId !== c.strategyId || isDone(o.status)) {
      this.report({ type: 'OrderCancelRejected', ...envelope(c), strategyId: c.strategyId, clientOrderId: c.clientOrderId, symbol: c.symbol, orderId: c.orderId ?? null, code: 'UNKNOWN_ORDER', reason: o ? `order is ${o.status}` : 'no such order at the venue' });
      return;
    }
    this.cmds.cancel(b.index, o.orderId);
    this.run();
  }

  cancelAll(c: CancelAllOrders): void {
    const books = c.scope === 'symbol' ? [this.books.get(c.symbol ?? '')].filter((x) => x !== undefined) : [...this.books.values()];
    const owner = c.scope === 'strategy' ? this.owners.get(c.strategyId ?? '') : 0;
    if (owner === undefined) return;
    for (const b of books) this.cmds.cancelAll(b.index, owner);
    this.run();
  }

  status(q: QueryOrderStatus): MessageInput<'OrderStatusReported'> {
    const o = this.orders.get(q.orderId);
    const base = { ...envelope(q), strategyId: q.strategyId, clientOrderId: q.clientOrderId, symbol: q.symbol, orderId: q.orderId };
    if (!o) return { type: 'OrderStatusReported', ...base, status: null, cumQty: 0, leavesQty: 0, avgPx: 0, fills: [] };
    return { type: 'OrderStatusReported', ...base, status: o.status, cumQty: o.cumQty, leavesQty: isDone(o.status) ? 0 : round(o.quantity - o.cumQty), avgPx: o.cumQty ? o.notional / o.cumQty : 0, fills: o.fills };
  }

  onBook(s: BookSnapshot): void {
    const b = this.books.get(s.symbol);
    if (!b) return;
    b.mirror.sync(s, this.cmds);
    this.run();
  }

  onTick(t: Tick): void {
    const b = this.books.get(t.symbol);
    if (!b || t.kind !== 1) return;
    b.mirror.trade(t, this.cmds);
    this.run();
  }

  restingCount(symbol: string): number {
    const b = this.books.get(symbol);
    return b ? this.engine.restingCount(b.index) : 0;
  }

  /** Our open orders by symbol (synthetic market orders excluded). */
  ourResting(): Map<string, number> {
    const n = new Map<string, number>();
    for (const o of this.orders.values()) if (!isDone(o.status)) n.set(o.symbol, (n.get(o.symbol) ?? 0) + 1);
    return n;
  }

  mirror(symbol: string): MarketMirror | undefined {
    return this.books.get(symbol)?.mirror;
  }

  private run(): void {
    if (this.cmds.count === 0) return;
    const t0 = performance.now();
    const ev = this.engine.process(this.cmds.view());
    this.stats.matchingSeconds += (performance.now() - t0) / 1000;
    this.cmds.reset();
    this.stats.events += ev.length / EVENT_STRIDE;
    for (let i = 0; i < ev.length; i += EVENT_STRIDE) this.route(ev, i);
  }

  private route(ev: Float64Array, i: number): void {
    const kind = ev[i + Ev.kind]!;
    const id = ev[i + Ev.orderId]!;
    const book = this.byIndex[ev[i + Ev.book]!];
    if (id >= SYNTH_BASE || !book) {
      if (!book) return;
      const m = book.mirror;
      if (kind === EventKind.Accepted) {
        // Entered as an order; whatever it matched on arrival comes next as fills.
        m.added(id, ev[i + Ev.price]!, ev[i + Ev.leaves]!);
      } else if (kind === EventKind.Filled) {
        if (ev[i + Ev.otherId]! < SYNTH_BASE) m.tookFrom(id, ev[i + Ev.qty]!);
        m.changed(id, ev[i + Ev.leaves]!);
      } else if (kind === EventKind.Canceled || kind === EventKind.Reduced || kind === EventKind.Expired) {
        m.changed(id, ev[i + Ev.leaves]!);
      }
      return;
    }
    const o = this.orders.get(id);
    if (!o) return;
    const base = { strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId };
    const { inst } = book;
    switch (kind) {
      case EventKind.Accepted:
        o.status = 'New';
        this.report({ type: 'OrderAccepted', ...envelope(), ...base, side: o.side, price: o.price, quantity: o.quantity, tsTick: o.tsTick });
        break;
      case EventKind.Rejected: {
        const code = rejectName(ev[i + Ev.detail]!);
        if (o.status === 'PendingNew') {
          o.status = 'Rejected';
          this.rejects[code] = (this.rejects[code] ?? 0) + 1;
          this.report({ type: 'OrderRejected', ...envelope(), ...base, code, reason: rejectText(code) });
          this.finish(o);
        } else {
          this.report({ type: 'OrderCancelRejected', ...envelope(), ...base, code, reason: rejectText(code) });
        }
        break;
      }
      case EventKind.Filled: {
        const px = unitsToDecimal(ev[i + Ev.price]!, -inst.priceDecimals);
        const qty = unitsToDecimal(ev[i + Ev.qty]!, -inst.qtyDecimals);
        const leaves = unitsToDecimal(ev[i + Ev.leaves]!, -inst.qtyDecimals);
        const maker = ev[i + Ev.detail] === Liquidity.Maker;
        const fees = this.o.fees(o.symbol);
        const fee = round((px * qty * (maker ? fees.maker_bps : fees.taker_bps)) / 1e4);
        o.cumQty = round(o.cumQty + qty);
        o.notional += px * qty;
        o.status = leaves > 0 ? 'PartiallyFilled' : 'Filled';
        const execId = `${this.o.run}-${++this.execSeq}`;
        const tsEvent = envelope();
        o.fills.push({ execId, lastPx: px, lastQty: qty, fee, liquidity: maker ? 'maker' : 'taker', tsEvent: tsEvent.tsEvent });
        this.report({ type: 'OrderFilled', ...tsEvent, ...base, execId, side: o.side, lastPx: px, lastQty: qty, cumQty: o.cumQty, leavesQty: leaves, avgPx: o.notional / o.cumQty, liquidity: maker ? 'maker' : 'taker', fee, tsTick: o.tsTick });
        if (leaves <= 0) this.finish(o);
        break;
      }
      case EventKind.Canceled:
        o.status = 'Canceled';
        this.report({ type: 'OrderCanceled', ...envelope(), ...base, canceledQty: unitsToDecimal(ev[i + Ev.qty]!, -inst.qtyDecimals), cumQty: o.cumQty, reason: CANCEL_TEXT[ev[i + Ev.detail]!] ?? 'canceled' });
        this.finish(o);
        break;
      case EventKind.Expired:
        o.status = 'Expired';
        this.report({ type: 'OrderExpired', ...envelope(), ...base, expiredQty: unitsToDecimal(ev[i + Ev.qty]!, -inst.qtyDecimals), cumQty: o.cumQty });
        this.finish(o);
        break;
    }
  }

  /** Keep finished orders for status queries, forgetting the oldest beyond `history`. */
  private finish(o: VenueOrder): void {
    this.finished.push(o.orderId);
    if (this.finished.length - this.finishedHead > this.o.history) {
      this.orders.delete(this.finished[this.finishedHead]!);
      this.finishedHead++;
      if (this.finishedHead > 10_000) {
        this.finished.splice(0, this.finishedHead);
        this.finishedHead = 0;
      }
    }
  }
}

function isDone(s: OrderStatus): boolean {
  return s === 'Filled' || s === 'Canceled' || s === 'Rejected' || s === 'Expired';
}

function round(x: number): number {
  return Math.round(x * 1e10) / 1e10;
}

function rejectText(code: string): string {
  switch (code) {
    case 'POST_ONLY_WOULD_CROSS':
      return 'post-only order would have taken liquidity';
    case 'DUPLICATE_ORDER_ID':
      return 'an order with this orderId is already resting';
    case 'UNKNOWN_ORDER_ID':
      return 'no such resting order';
    default:
      return code.toLowerCase().replace(/_/g, ' ');
  }
}
