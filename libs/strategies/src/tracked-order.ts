import type { OrderStatus, Side } from '@hft/messages';

/** A strategy's view of one of its orders, kept current from execution reports. */
export interface TrackedOrder {
  clientOrderId: string;
  orderId: number | null;
  symbol: string;
  side: Side;
  type: 'limit' | 'market';
  price: number | null;
  qty: number;
  cumQty: number;
  leavesQty: number;
  status: OrderStatus;
  /** Data time when it was sent. */
  sentAt: bigint;
  tag: string;
}

export const TERMINAL: ReadonlySet<OrderStatus> = new Set(['Filled', 'Canceled', 'Rejected', 'Denied', 'Expired']);
