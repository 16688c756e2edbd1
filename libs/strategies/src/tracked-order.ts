import type { Instrument } from '@hft/config';
import type { OrderStatus, OrderType, Side } from '@hft/messages';
import { Order, type OrderSpec, type OrderState } from '@hft/orders';

/** What a strategy sees of one of its orders (kept current by the shared order lifecycle). */
export interface TrackedOrder {
  readonly clientOrderId: string;
  readonly orderId: number | null;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly price: number | null;
  readonly qty: number;
  readonly cumQty: number;
  readonly leavesQty: number;
  readonly status: OrderStatus;
  /** Data time when it was sent. */
  readonly sentAt: bigint;
  readonly tag: string;
}

/** A strategy's order: the one lifecycle, plus when and why the strategy sent it. */
export class StrategyOrder extends Order implements TrackedOrder {
  /** Wall time (ms) it was sent, for the acknowledgement timeout. */
  sentWallMs: number;
  /** A cancel was sent because no outcome came in time (sent once). */
  voided = false;

  constructor(
    spec: OrderSpec,
    inst: Instrument,
    readonly sentAt: bigint,
    readonly tag: string,
    state?: OrderState,
  ) {
    super(spec, inst, state);
    this.sentWallMs = Date.now();
  }

  get type(): OrderType {
    return this.orderType;
  }

  get qty(): number {
    return this.quantity;
  }
}
