import type { Instrument } from '@hft/config';
import type { OpenOrderRow, OrderEvent, OrderFields, OrderStatus, OrderType, Side, TimeInForce } from '@hft/messages';
import { isOpen, isTerminal } from './order-status.js';
import { canTransition } from './transitions.js';
import { averagePrice, fromUnits, toUnits } from './units.js';

/** What an order is, as every hop carries it. */
export type OrderSpec = OrderFields;

/** What applying an event did: `changed` false when it was old news (a repeat, a late ack). */
export type Applied = { ok: true; changed: boolean } | { ok: false; reason: 'illegal' | 'overfill' | 'wrong_order'; detail: string };

const unchanged: Applied = { ok: true, changed: false };
const changed: Applied = { ok: true, changed: true };

/** State an order is rebuilt with (from the ledger, a snapshot, or the venue's memory). */
export interface OrderState {
  orderId?: number | null;
  status?: OrderStatus;
  cumUnits?: number;
  /** Sum of price units x quantity units over the fills. */
  notional?: bigint;
  acked?: boolean;
  execIds?: Iterable<string>;
}

/**
 * One order's lifecycle, the same object in the OMS, the strategy runtime, the venue and the backtest:
 * the FIX state table, fills accumulated in integer units of the instrument (each execId once), the
 * cancel-reject rule. `apply` never throws: an event that does not fit comes back as a refusal.
 */
export class Order implements OrderSpec {
  readonly strategyId: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  /** Limit price and total quantity: a replace changes them (OrderReplaced). */
  price: number | null;
  quantity: number;
  readonly tsTick: bigint | null;
  qtyUnits: number;
  /** The terms of a replace in flight (OrderPendingReplace), until the venue's answer. */
  pendingReplace: { price: number; quantity: number } | null = null;
  orderId: number | null;
  status: OrderStatus;
  cumUnits: number;
  notional: bigint;
  /** The venue has the order (it accepted or filled it): a rejected cancel goes back to New, not PendingNew. */
  acked: boolean;
  private readonly execIds: Set<string>;

  constructor(
    spec: OrderSpec,
    readonly inst: Instrument,
    s: OrderState = {},
  ) {
    this.strategyId = spec.strategyId;
    this.clientOrderId = spec.clientOrderId;
    this.symbol = spec.symbol;
    this.side = spec.side;
    this.orderType = spec.orderType;
    this.timeInForce = spec.timeInForce;
    this.postOnly = spec.postOnly;
    this.price = spec.price;
    this.quantity = spec.quantity;
    this.tsTick = spec.tsTick;
    this.qtyUnits = toUnits(spec.quantity, inst.qtyScale);
    this.orderId = s.orderId ?? null;
    this.status = s.status ?? 'PendingNew';
    this.cumUnits = s.cumUnits ?? 0;
    this.notional = s.notional ?? 0n;
    this.acked = s.acked ?? false;
    this.execIds = new Set(s.execIds ?? []);
  }

  get isOpen(): boolean {
    return isOpen(this.status);
  }

  get leavesUnits(): number {
    return isTerminal(this.status) ? 0 : this.qtyUnits - this.cumUnits;
  }

  get cumQty(): number {
    return fromUnits(this.cumUnits, this.inst.qtyScale);
  }

  get leavesQty(): number {
    return fromUnits(this.leavesUnits, this.inst.qtyScale);
  }

  /** Average fill price, null before the first fill. */
  get avgPx(): number | null {
    return this.cumUnits > 0 ? averagePrice(this.notional, this.cumUnits, this.inst.priceDecimals) : null;
  }

  hasExec(execId: string): boolean {
    return this.execIds.has(execId);
  }

  spec(): OrderSpec {
    const { strategyId, clientOrderId, symbol, side, orderType, timeInForce, postOnly, price, quantity, tsTick } = this;
    return { strategyId, clientOrderId, symbol, side, orderType, timeInForce, postOnly, price, quantity, tsTick };
  }

  row(): OpenOrderRow {
    const { orderId, strategyId, clientOrderId, symbol, side, orderType, timeInForce, postOnly, price, quantity, status, acked } = this;
    return { orderId: orderId ?? 0, strategyId, clientOrderId, symbol, side, orderType, timeInForce, postOnly, price, quantity, status, cumQty: this.cumQty, leavesQty: this.leavesQty, avgPx: this.avgPx, acked };
  }

  /** The status a rejected cancel returns the order to. */
  private beforeCancel(): OrderStatus {
    return this.cumUnits > 0 ? 'PartiallyFilled' : this.acked ? 'New' : 'PendingNew';
  }

  private move(to: OrderStatus, why: string): Applied {
    if (this.status === to) return unchanged;
    if (!canTransition(this.status, to)) return { ok: false, reason: 'illegal', detail: `${this.status} -> ${to} (${why})` };
    this.status = to;
    return changed;
  }

  /** A cancel was requested (sent, or about to be): PendingCancel unless the order is over. */
  pendingCancel(): Applied {
    if (isTerminal(this.status)) return { ok: false, reason: 'illegal', detail: `${this.status} -> PendingCancel (cancel of a finished order)` };
    return this.move('PendingCancel', 'cancel requested');
  }

  apply(e: OrderEvent): Applied {
    if (e.strategyId !== this.strategyId || e.clientOrderId !== this.clientOrderId) return { ok: false, reason: 'wrong_order', detail: `${e.type} for ${e.strategyId}/${e.clientOrderId}` };
    if (e.orderId !== null) {
      if (this.orderId === null) this.orderId = e.orderId;
      else if (e.orderId !== this.orderId) return { ok: false, reason: 'wrong_order', detail: `${e.type} for orderId ${e.orderId}, this order is ${this.orderId}` };
    }
    switch (e.type) {
      case 'OrderSubmitted':
        // Its orderId is now known; a cancel may already be pending locally.
        return this.status === 'PendingNew' || this.status === 'PendingCancel' ? unchanged : { ok: false, reason: 'illegal', detail: `OrderSubmitted for a ${this.status} order` };
      case 'OrderDenied':
        return this.acked ? { ok: false, reason: 'illegal', detail: 'OrderDenied for an order the venue has' } : this.move('Denied', e.code);
      case 'OrderAccepted': {
        const was = this.acked;
        this.acked = true;
        // An ack after fills or a cancel request is old news: nothing to move.
        if (this.status === 'PendingNew') return this.move('New', 'accepted');
        if (isTerminal(this.status) && this.status !== 'Filled' && this.status !== 'Canceled' && this.status !== 'Expired') return { ok: false, reason: 'illegal', detail: `OrderAccepted for a ${this.status} order` };
        return was ? unchanged : changed;
      }
      case 'OrderRejected':
        return this.acked ? { ok: false, reason: 'illegal', detail: 'OrderRejected for an order the venue accepted' } : this.move('Rejected', e.code);
      case 'OrderFilled':
        return this.fill(e.execId, e.lastPx, e.lastQty);
      case 'OrderPendingCancel':
        return this.pendingCancel();
      case 'OrderCanceled':
        return this.move('Canceled', e.reason);
      case 'OrderCancelRejected':
        // Back to where it was; a cancel refused for a finished order changes nothing.
        return this.status === 'PendingCancel' ? this.move(this.beforeCancel(), `cancel rejected: ${e.code}`) : unchanged;
      case 'OrderExpired':
        return this.move('Expired', 'expired');
      case 'OrderPendingReplace':
        if (isTerminal(this.status)) return { ok: false, reason: 'illegal', detail: `${this.status} -> replace pending (replace of a finished order)` };
        this.pendingReplace = { price: e.price, quantity: e.quantity };
        return changed;
      case 'OrderReplaced': {
        if (isTerminal(this.status)) return { ok: false, reason: 'illegal', detail: `OrderReplaced for a ${this.status} order` };
        const units = toUnits(e.quantity, this.inst.qtyScale);
        if (units <= this.cumUnits) return { ok: false, reason: 'illegal', detail: `replaced quantity ${e.quantity} is not above the ${this.cumQty} filled` };
        const same = this.price === e.price && this.qtyUnits === units;
        this.price = e.price;
        this.quantity = e.quantity;
        this.qtyUnits = units;
        this.pendingReplace = null;
        return same ? unchanged : changed;
      }
      case 'OrderReplaceRejected':
        // The order works on as it was; a refusal for a finished order is old news.
        if (this.pendingReplace === null) return unchanged;
        this.pendingReplace = null;
        return changed;
    }
  }

  /** Accumulate one execution (idempotent on execId); refused when it would overfill. */
  fill(execId: string, lastPx: number, lastQty: number): Applied {
    if (this.execIds.has(execId)) return unchanged;
    const q = toUnits(lastQty, this.inst.qtyScale);
    if (isTerminal(this.status)) return { ok: false, reason: 'illegal', detail: `fill ${execId} for a ${this.status} order` };
    if (q <= 0 || this.cumUnits + q > this.qtyUnits) return { ok: false, reason: 'overfill', detail: `fill ${execId} of ${lastQty} on ${this.cumQty} of ${this.quantity}` };
    this.execIds.add(execId);
    this.cumUnits += q;
    this.notional += BigInt(toUnits(lastPx, this.inst.priceScale)) * BigInt(q);
    this.acked = true;
    if (this.cumUnits === this.qtyUnits) this.status = 'Filled';
    else if (this.status !== 'PendingCancel') this.status = 'PartiallyFilled';
    return changed;
  }
}
