import type { OrderStatus, Side } from '@hft/messages';

/** The OMS's view of one order (mirrors the `orders` projection). */
export interface OrderRecord {
  orderId: number;
  strategyId: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  orderType: 'limit' | 'market';
  timeInForce: 'gtc' | 'ioc';
  postOnly: boolean;
  price: number | null;
  quantity: number;
  status: OrderStatus;
  cumQty: number;
  leavesQty: number;
  avgPx: number | null;
  /** Last order_events seq written for this order. */
  lastSeq: number;
  tsTick: bigint | null;
  /** Handed to the venue (false while waiting for the ledger). */
  forwarded: boolean;
  /** The venue acknowledged it (accepted or filled): a rejected cancel goes back to New, not PendingNew. */
  acked: boolean;
  /** A cancel arrived before the order went to the venue. */
  cancelWanted: string | null;
}

export const OPEN_STATUSES: readonly OrderStatus[] = ['PendingNew', 'New', 'PartiallyFilled', 'PendingCancel'];
export const TERMINAL_STATUSES: readonly OrderStatus[] = ['Filled', 'Canceled', 'Rejected', 'Denied', 'Expired'];

export function isTerminal(s: OrderStatus): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(s);
}
