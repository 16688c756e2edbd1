import type { OrderEvent, OrderStatus, OrderType, PositionRow, Side, TimeInForce } from '@hft/messages';

// What the order manager asks the ledger to record, in order: the OMS journals these before it sends
// anything, then writes them to Postgres in batches; a restart replays them. Each is idempotent.

/** A new order row: PendingNew, or Denied when the OMS refused it (a refusal of a command that never
 * carried the order's details, e.g. a cancel that came first, leaves those fields null). */
export interface NewOrderRow {
  orderId: number;
  strategyId: string;
  clientOrderId: string;
  symbol: string;
  side: Side | null;
  orderType: OrderType | null;
  timeInForce: TimeInForce | null;
  postOnly: boolean;
  price: number | null;
  quantity: number | null;
  tsTick: bigint | null;
  status: 'PendingNew' | 'Denied';
  reason: string | null;
  tsEvent: bigint;
}

/** The order's projection after an event. */
export interface OrderProjection {
  status: OrderStatus;
  cumQty: number;
  leavesQty: number;
  avgPx: number | null;
  reason: string | null;
  /** The venue has the order (accepted or filled it). */
  acked: boolean;
  /** The order's terms now (a replace changes them); absent in records journaled before replaces existed. */
  price?: number | null;
  quantity?: number;
}

/** A position after a fill. */
export type PositionSnapshot = PositionRow;

export type LedgerRecord =
  | { kind: 'order'; order: NewOrderRow }
  | {
      kind: 'event';
      /** The event exactly as published on the stream (its `seq` is the strategy's stream sequence). */
      event: OrderEvent;
      orderId: number;
      /** The event's number within its order (order_events.seq). */
      orderSeq: number;
      /** null for news about an order that is already over (its projection does not move). */
      projection: OrderProjection | null;
      position: PositionSnapshot | null;
    };
