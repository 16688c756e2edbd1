import type { InstrumentRegistry } from '@hft/config';
import type { OrderEvent, StrategyState } from '@hft/messages';
import { PositionBook } from '@hft/portfolio';

export interface OrderEventView {
  ts: string;
  type: string;
  strategyId: string;
  symbol: string;
  clientOrderId: string;
  orderId: number | null;
  seq: number | null;
  detail: string;
}

type Counts = { submitted: number; accepted: number; rejected: number; denied: number; filled: number; canceled: number; expired: number; fills: number };
const COUNTED: Partial<Record<OrderEvent['type'], keyof Counts>> = { OrderSubmitted: 'submitted', OrderAccepted: 'accepted', OrderRejected: 'rejected', OrderDenied: 'denied', OrderCanceled: 'canceled', OrderExpired: 'expired', OrderFilled: 'fills' };

/**
 * Positions and PnL per strategy from the OMS's order-event stream (each event once, in sequence),
 * marked to the latest mid; plus the recent order events and fills for the dashboard. A start (or a
 * restart) takes each strategy's positions from the OMS's state first, then follows the stream.
 */
export class PortfolioView {
  private readonly book: PositionBook;
  readonly events: OrderEventView[] = [];
  readonly fills: Record<string, unknown>[] = [];
  counts: Counts = { submitted: 0, accepted: 0, rejected: 0, denied: 0, filled: 0, canceled: 0, expired: 0, fills: 0 };

  constructor(instruments: InstrumentRegistry) {
    this.book = new PositionBook((s) => instruments.find(s) ?? 1);
  }

  /** A strategy's positions as the OMS has them at a stream sequence (the stream follows from there). */
  adopt(state: StrategyState): void {
    for (const p of state.positions) this.book.restore(state.strategyId, p.symbol, p);
  }

  onEvent(e: OrderEvent): OrderEventView {
    const counted = COUNTED[e.type];
    if (counted) this.counts[counted]++;
    if (e.type === 'OrderFilled') {
      this.book.onFill(e.strategyId, e.symbol, e.side, e.lastPx, e.lastQty, e.fee);
      if (e.leavesQty <= 0) this.counts.filled++;
      this.fills.push({ ts: e.tsEvent.toString(), strategyId: e.strategyId, symbol: e.symbol, side: e.side, price: e.lastPx, qty: e.lastQty, fee: e.fee, liquidity: e.liquidity, execId: e.execId, clientOrderId: e.clientOrderId });
      if (this.fills.length > 500) this.fills.shift();
    }
    const v: OrderEventView = { ts: e.tsEvent.toString(), type: e.type, strategyId: e.strategyId, symbol: e.symbol, clientOrderId: e.clientOrderId, orderId: e.orderId, seq: e.seq ?? null, detail: detailOf(e) };
    this.events.push(v);
    if (this.events.length > 500) this.events.shift();
    return v;
  }

  /** Positions and PnL at the given marks. */
  view(mark: (symbol: string) => number): { strategy: string; symbol: string; qty: number; avgPx: number; realized: number; unrealized: number; fees: number; pnl: number; mark: number | null }[] {
    return this.book.list().map(({ strategy, position: p }) => {
      const m = mark(p.symbol);
      const unrealized = p.unrealized(m);
      return { strategy, symbol: p.symbol, qty: p.qty, avgPx: p.avgPx, realized: p.realized, unrealized, fees: p.fees, pnl: p.realized + unrealized - p.fees, mark: Number.isNaN(m) ? null : m };
    });
  }
}

function detailOf(e: OrderEvent): string {
  switch (e.type) {
    case 'OrderSubmitted':
      return `${e.side} ${e.quantity} @ ${e.price ?? 'market'} ${e.timeInForce}${e.postOnly ? ' post-only' : ''}`;
    case 'OrderAccepted':
      return `${e.side} ${e.quantity} @ ${e.price ?? 'market'}`;
    case 'OrderFilled':
      return `${e.side} ${e.lastQty} @ ${e.lastPx} (${e.liquidity}), leaves ${e.leavesQty}`;
    case 'OrderRejected':
    case 'OrderCancelRejected':
    case 'OrderDenied':
      return `${e.code}: ${e.reason}`;
    case 'OrderCanceled':
      return `${e.canceledQty} canceled (${e.reason})`;
    case 'OrderPendingCancel':
      return `cancel sent (${e.reason})`;
    case 'OrderPendingReplace':
      return `replace to ${e.quantity} @ ${e.price} sent`;
    case 'OrderReplaced':
      return `replaced: ${e.quantity} @ ${e.price}, leaves ${e.leavesQty}${e.keptPriority ? ' (kept its place)' : ''}`;
    case 'OrderReplaceRejected':
      return `replace to ${e.quantity} @ ${e.price} refused: ${e.code}${e.denyCode ? ` (${e.denyCode})` : ''}: ${e.reason}`;
    case 'OrderExpired':
      return `${e.expiredQty} expired`;
  }
}
