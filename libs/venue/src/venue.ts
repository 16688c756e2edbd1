import type { Instrument } from '@hft/config';
import {
  CancelRejectCode,
  envelope,
  ReplaceRejectCode,
  REJECT_CODES,
  RejectCode,
  unitsToDecimal,
  TickKind,
  type BookSnapshot,
  type MessageInput,
  type OrderEvent,
  type OrderStamps,
  type QueryOrderStatus,
  type ReportedFill,
  type Tick,
  type VenueCancelOrder,
  type VenueReplaceOrder,
  type VenueSubmitOrder,
} from '@hft/messages';
import { CancelReason, CommandBatch, Ev, EVENT_STRIDE, EventKind, Liquidity, MatchingEngine, OrderKind, rejectName, Side, type StpMode } from '@hft/native';
import { Order } from '@hft/orders';
import { MARKET_OWNER, MarketMirror, SYNTH_BASE } from './market-mirror.js';

export type VenueReport =
  | MessageInput<'OrderAccepted'>
  | MessageInput<'OrderRejected'>
  | MessageInput<'OrderFilled'>
  | MessageInput<'OrderCanceled'>
  | MessageInput<'OrderCancelRejected'>
  | MessageInput<'OrderExpired'>
  | MessageInput<'OrderReplaced'>
  | MessageInput<'OrderReplaceRejected'>;

/** A decimal as whole units on a grid of `step` units, or null when it is off the grid. */
function gridUnits(value: number, scale: number, step: number): number | null {
  const u = value * scale;
  const r = Math.round(u);
  return Math.abs(u - r) > 1e-6 || r % step !== 0 ? null : r;
}

/** The core's reject name as a wire code (every name an order can meet is in the registry). */
function rejectCodeOf(name: string): RejectCode {
  return (REJECT_CODES as readonly string[]).includes(name) ? (name as RejectCode) : RejectCode.InvalidOrderType;
}

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

/** An order at the venue: the shared lifecycle, plus every fill for status queries. */
class VenueOrder extends Order {
  readonly fills: ReportedFill[] = [];
  /** The order's latency stamps, given back with its ack. */
  stamps: OrderStamps | undefined;
  rejected: { code: RejectCode; reason: string } | null = null;
  /** A replace that moves the order in the book: cancelled and entered again under the same id. */
  replacing: { cause: VenueReplaceOrder; old: { price: number; leaves: number } } | null = null;
  /** Entered again on its old terms after a refused replace: that ack is not news. */
  reentered = false;
}

export interface VenueStats {
  matchingSeconds: number;
  events: number;
  /** Engine events our order lifecycle refused (a simulator bug if ever non-zero). */
  refused: number;
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
  readonly stats: VenueStats = { matchingSeconds: 0, events: 0, refused: 0 };
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

  private reject(o: VenueSubmitOrder, code: RejectCode, reason: string): void {
    this.rejects[code] = (this.rejects[code] ?? 0) + 1;
    this.report({ type: 'OrderRejected', ...envelope(o), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId, code, reason });
  }

  /** Emit a report about one of our orders after moving its lifecycle (a report it refuses is a venue bug). */
  private tell(o: VenueOrder, r: VenueReport): void {
    if (!o.apply(r as OrderEvent).ok) {
      this.stats.refused++;
      return;
    }
    this.report(r);
    if (!o.isOpen) this.finish(o);
  }

  submit(o: VenueSubmitOrder): 'accepted' | 'duplicate' | 'rejected' {
    if (this.orders.has(o.orderId)) return 'duplicate';
    const b = this.books.get(o.symbol);
    if (!b) {
      this.reject(o, RejectCode.UnknownSymbol, `${o.symbol} is not traded here`);
      return 'rejected';
    }
    const { inst } = b;
    const priceUnits = o.orderType === 'limit' ? gridUnits(o.price ?? 0, inst.priceScale, inst.tickUnits) : 0;
    const qtyUnits = gridUnits(o.quantity, inst.qtyScale, inst.lotUnits);
    if (priceUnits === null) {
      this.reject(o, RejectCode.PriceOffTick, `price ${o.price} is not on the ${o.symbol} tick grid`);
      return 'rejected';
    }
    if (qtyUnits === null) {
      this.reject(o, RejectCode.QtyOffLot, `quantity ${o.quantity} is not a multiple of the ${o.symbol} lot`);
      return 'rejected';
    }
    const vo = new VenueOrder(o, inst, { orderId: o.orderId });
    vo.stamps = o.stamps;
    this.orders.set(o.orderId, vo);
    const kind = o.orderType === 'market' ? OrderKind.Market : o.postOnly ? OrderKind.LimitPostOnly : o.timeInForce === 'ioc' ? OrderKind.LimitIoc : OrderKind.LimitGtc;
    this.cmds.newOrder({ book: b.index, orderId: o.orderId, side: o.side === 'buy' ? Side.Buy : Side.Sell, kind, price: priceUnits, qty: qtyUnits, owner: this.owner(o.strategyId) });
    this.run();
    return 'accepted';
  }

  cancel(c: VenueCancelOrder): void {
    const o = this.orders.get(c.orderId);
    const b = this.books.get(c.symbol);
    if (!o || !b || o.strategyId !== c.strategyId || !o.isOpen) {
      const code = o && o.strategyId === c.strategyId ? CancelRejectCode.TooLateToCancel : CancelRejectCode.UnknownOrder;
      this.report({ type: 'OrderCancelRejected', ...envelope(c), strategyId: c.strategyId, clientOrderId: c.clientOrderId, symbol: c.symbol, orderId: c.orderId, code, reason: o ? `order is ${o.status}` : 'no such order at the venue' });
      return;
    }
    this.cmds.cancel(b.index, o.orderId!);
    this.run();
  }

  /**
   * New price and/or total quantity for a resting limit order. Less quantity at the same price keeps
   * its place in the queue (the engine reduces it); anything else cancels it and enters it again under
   * the same orderId (a new place, and a new price may trade at once).
   */
  replace(r: VenueReplaceOrder): void {
    const o = this.orders.get(r.orderId);
    const b = this.books.get(r.symbol);
    const refuse = (code: ReplaceRejectCode, reason: string): void =>
      this.report({ type: 'OrderReplaceRejected', ...envelope(r), strategyId: r.strategyId, clientOrderId: r.clientOrderId, symbol: r.symbol, orderId: r.orderId, price: r.price, quantity: r.quantity, code, denyCode: null, reason });
    if (!o || !b || o.strategyId !== r.strategyId) return refuse(ReplaceRejectCode.UnknownOrder, 'no such order at the venue');
    if (!o.isOpen) return refuse(ReplaceRejectCode.TooLateToReplace, `order is ${o.status}`);
    if (o.orderType !== 'limit' || o.timeInForce === 'ioc') return refuse(ReplaceRejectCode.NotReplaceable, 'only a resting limit order can be replaced');
    if (o.replacing) return refuse(ReplaceRejectCode.Pending, 'another replace of the order is in flight');
    const { inst } = b;
    const priceUnits = gridUnits(r.price, inst.priceScale, inst.tickUnits);
    const qtyUnits = gridUnits(r.quantity, inst.qtyScale, inst.lotUnits);
    if (priceUnits === null) return refuse(ReplaceRejectCode.RejectedByVenue, `price ${r.price} is not on the ${r.symbol} tick grid`);
    if (qtyUnits === null) return refuse(ReplaceRejectCode.RejectedByVenue, `quantity ${r.quantity} is not a multiple of the ${r.symbol} lot`);
    if (qtyUnits <= o.cumUnits) return refuse(ReplaceRejectCode.QtyNotAboveFilled, `new quantity ${r.quantity} is not above the ${o.cumQty} filled`);
    const leaves = qtyUnits - o.cumUnits;
    const oldPrice = Math.round(o.price! * inst.priceScale);
    if (priceUnits === oldPrice && leaves <= o.leavesUnits) {
      if (leaves < o.leavesUnits) {
        this.cmds.reduce(b.index, r.orderId, leaves);
        this.run();
      }
      return this.replaced(o, r, leaves, inst.qtyDecimals, true);
    }
    o.replacing = { cause: r, old: { price: oldPrice, leaves: o.leavesUnits } };
    this.cmds.cancel(b.index, r.orderId);
    this.rest(o, b.index, priceUnits, leaves);
    this.run();
  }

  /** The order is on its new terms: the lifecycle moves and the OMS hears of it. */
  private replaced(o: VenueOrder, r: VenueReplaceOrder, leavesUnits: number, qtyDecimals: number, keptPriority: boolean): void {
    this.tell(o, { type: 'OrderReplaced', ...envelope(r), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId!, price: r.price, quantity: r.quantity, cumQty: o.cumQty, leavesQty: unitsToDecimal(leavesUnits, -qtyDecimals), keptPriority });
  }

  /** Enter one of our resting limit orders (again) under its own orderId. */
  private rest(o: VenueOrder, book: number, priceUnits: number, qtyUnits: number): void {
    this.cmds.newOrder({ book, orderId: o.orderId!, side: o.side === 'buy' ? Side.Buy : Side.Sell, kind: o.postOnly ? OrderKind.LimitPostOnly : OrderKind.LimitGtc, price: priceUnits, qty: qtyUnits, owner: this.owner(o.strategyId) });
  }

  status(q: QueryOrderStatus): MessageInput<'OrderStatusReported'> {
    const o = this.orders.get(q.orderId);
    const base = { ...envelope(q), strategyId: q.strategyId, clientOrderId: q.clientOrderId, symbol: q.symbol, orderId: q.orderId };
    if (!o) return { type: 'OrderStatusReported', ...base, status: null, cumQty: 0, leavesQty: 0, avgPx: 0, rejectCode: null, reason: null, fills: [] };
    return { type: 'OrderStatusReported', ...base, status: o.status, cumQty: o.cumQty, leavesQty: o.leavesQty, avgPx: o.avgPx ?? 0, rejectCode: o.rejected?.code ?? null, reason: o.rejected?.reason ?? null, fills: o.fills };
  }

  onBook(s: BookSnapshot): void {
    const b = this.books.get(s.symbol);
    if (!b) return;
    b.mirror.sync(s, this.cmds);
    this.run();
  }

  onTick(t: Tick): void {
    const b = this.books.get(t.symbol);
    if (!b || t.kind !== TickKind.Trade) return;
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
    for (const o of this.orders.values()) if (o.isOpen) n.set(o.symbol, (n.get(o.symbol) ?? 0) + 1);
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
    if (!o || !o.isOpen) return;
    const base = { strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: id };
    const { inst } = book;
    switch (kind) {
      case EventKind.Accepted: {
        if (o.reentered) {
          o.reentered = false;
          break;
        }
        const rep = o.replacing;
        if (rep) {
          // The order is in the book again on its new terms.
          o.replacing = null;
          this.replaced(o, rep.cause, ev[i + Ev.qty]!, inst.qtyDecimals, false);
          break;
        }
        const e = envelope();
        this.tell(o, { type: 'OrderAccepted', ...e, ...base, side: o.side, price: o.price, quantity: o.quantity, tsTick: o.tsTick, ...(o.stamps ? { stamps: { ...o.stamps, venueAck: e.tsEvent } } : {}) });
        o.stamps = undefined;
        break;
      }
      case EventKind.Rejected: {
        const name = rejectName(ev[i + Ev.detail]!);
        const rep = o.replacing;
        if (rep) {
          // The new terms were refused by the book (a post-only that would cross): back on the old ones, at the back of the queue.
          o.replacing = null;
          o.reentered = true;
          const r = rep.cause;
          this.rest(o, ev[i + Ev.book]!, rep.old.price, rep.old.leaves);
          this.report({ type: 'OrderReplaceRejected', ...envelope(r), ...base, price: r.price, quantity: r.quantity, code: ReplaceRejectCode.RejectedByVenue, denyCode: null, reason: `${rejectText(name)}; the order rests on its old terms (behind the queue)` });
          this.run();
          break;
        }
        if (!o.acked && o.status === 'PendingNew') {
          const code = rejectCodeOf(name);
          this.rejects[code] = (this.rejects[code] ?? 0) + 1;
          o.rejected = { code, reason: rejectText(name) };
          this.tell(o, { type: 'OrderRejected', ...envelope(), ...base, code, reason: rejectText(name) });
        } else {
          this.report({ type: 'OrderCancelRejected', ...envelope(), ...base, code: CancelRejectCode.UnknownOrder, reason: rejectText(name) });
        }
        break;
      }
      case EventKind.Filled: {
        const px = unitsToDecimal(ev[i + Ev.price]!, -inst.priceDecimals);
        const qty = unitsToDecimal(ev[i + Ev.qty]!, -inst.qtyDecimals);
        const maker = ev[i + Ev.detail] === Liquidity.Maker;
        const fees = this.o.fees(o.symbol);
        const fee = round((px * qty * (maker ? fees.maker_bps : fees.taker_bps)) / 1e4);
        const execId = `${this.o.run}-${++this.execSeq}`;
        const e = envelope();
        const cum = o.cumQty + qty;
        o.fills.push({ execId, lastPx: px, lastQty: qty, fee, liquidity: maker ? 'maker' : 'taker', tsEvent: e.tsEvent });
        // The lifecycle accumulates in units; the report carries its exact figures.
        const filled: MessageInput<'OrderFilled'> = { type: 'OrderFilled', ...e, ...base, execId, side: o.side, lastPx: px, lastQty: qty, cumQty: cum, leavesQty: 0, avgPx: px, liquidity: maker ? 'maker' : 'taker', fee, tsTick: o.tsTick };
        if (!o.apply(filled as OrderEvent).ok) {
          this.stats.refused++;
          break;
        }
        Object.assign(filled, { cumQty: o.cumQty, leavesQty: o.leavesQty, avgPx: o.avgPx! });
        this.report(filled);
        if (!o.isOpen) this.finish(o);
        break;
      }
      case EventKind.Canceled:
        // The first half of a replace that moves the order: not a cancel of it.
        if (o.replacing) break;
        this.tell(o, { type: 'OrderCanceled', ...envelope(), ...base, canceledQty: unitsToDecimal(ev[i + Ev.qty]!, -inst.qtyDecimals), cumQty: o.cumQty, reason: CANCEL_TEXT[ev[i + Ev.detail]!] ?? 'canceled' });
        break;
      case EventKind.Expired:
        this.tell(o, { type: 'OrderExpired', ...envelope(), ...base, expiredQty: unitsToDecimal(ev[i + Ev.qty]!, -inst.qtyDecimals), cumQty: o.cumQty });
        break;
    }
  }

  /** Keep finished orders for status queries, forgetting the oldest beyond `history`. */
  private finish(o: VenueOrder): void {
    this.finished.push(o.orderId!);
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
