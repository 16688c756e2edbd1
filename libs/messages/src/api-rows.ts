// Rows the daemons' HTTP APIs return that other daemons read back after a restart.
import type { Side } from './fields.js';

/**
 * A fill as the OMS ledger API returns it (`GET /api/trades`): what daemons read back after a
 * restart to rebuild positions. Numbers are floats of the ledger's exact numerics.
 */
export interface LedgerTrade {
  exec_id: string;
  strategy_id: string;
  symbol: string;
  side: Side;
  price: number;
  quantity: number;
  fee: number;
  /** Exchange time of the fill, ns since the epoch, as a decimal string. */
  ts_event: string;
  client_order_id: string;
  /** Leaves quantity of the fill's order now. */
  order_leaves_qty: number;
}

/**
 * A strategy's position in one symbol as risk holds it (`GET /api/risk/status`): what limits use and
 * what a restarted strategy resumes from. Working quantity is what open orders could still add.
 */
export interface RiskPosition {
  strategy: string;
  symbol: string;
  qty: number;
  avgPx: number;
  realized: number;
  fees: number;
  workingBuy: number;
  workingSell: number;
}

/** Oldest fill first, by exchange time: the order in which positions and average prices evolved. */
export function byEventTime(a: Pick<LedgerTrade, 'ts_event'>, b: Pick<LedgerTrade, 'ts_event'>): number {
  const x = BigInt(a.ts_event);
  const y = BigInt(b.ts_event);
  return x < y ? -1 : x > y ? 1 : 0;
}
