// What the daemons' HTTP APIs return that other daemons (and outside clients) read back.
import type { OrderEvent } from './catalog.js';
import type { OrderFields } from './commands.js';
import type { OrderStatus, Side } from './fields.js';

/** A fill as the OMS ledger API returns it (`GET /api/trades`). Numbers are floats of the ledger's exact numerics. */
export interface LedgerTrade {
  exec_id: string;
  order_id: number;
  strategy_id: string;
  symbol: string;
  side: Side;
  price: number;
  quantity: number;
  fee: number;
  liquidity: 'maker' | 'taker';
  /** Exchange time of the fill, ns since the epoch, as a decimal string. */
  ts_event: string;
  client_order_id: string;
}

/** A position as the OMS (from the ledger's fills) or risk holds it. */
export interface PositionRow {
  strategy: string;
  symbol: string;
  qty: number;
  avgPx: number;
  realized: number;
  fees: number;
}

/** Risk's view adds what open orders could still add (`GET /api/risk/status`). */
export interface RiskPosition extends PositionRow {
  workingBuy: number;
  workingSell: number;
}

/** An open order as the OMS holds it. */
export interface OpenOrderRow extends Omit<OrderFields, 'tsTick'> {
  orderId: number;
  status: OrderStatus;
  cumQty: number;
  leavesQty: number;
  avgPx: number | null;
  /** The venue has acknowledged it (accepted or filled). */
  acked: boolean;
}

/**
 * One strategy's state at stream sequence `seq` (`GET /api/order-state`): its positions and open
 * orders after every event up to `seq` and none after. A consumer starts here and applies the
 * stream from `seq + 1`.
 */
export interface StrategyState {
  strategyId: string;
  seq: number;
  positions: PositionRow[];
  openOrders: OpenOrderRow[];
}

/** A page of one strategy's order-event stream (`GET /api/order-events`), oldest first. */
export interface OrderEventPage {
  strategyId: string;
  /** The stream's last sequence number when the page was read. */
  head: number;
  events: OrderEvent[];
}
