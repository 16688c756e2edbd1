import { byEventTime, RecentIds, type ExecutionReport, type LedgerTrade } from '@hft/messages';
import { Position } from '@hft/portfolio';

export interface OrderEvent {
  ts: string;
  type: string;
  strategyId: string;
  symbol: string;
  clientOrderId: string;
  orderId: number | null;
  detail: string;
}

/**
 * Positions and PnL per strategy from the fills on the execution report stream (each execId once),
 * marked to the latest mid; plus the recent order events and fills for the dashboard.
 */
export class PortfolioView {
  private readonly positions = new Map<string, Map<string, Position>>();
  private readonly seen = new RecentIds(1_000_000);
  readonly events: OrderEvent[] = [];
  readonly fills: Record<string, unknown>[] = [];
  counts = { accepted: 0, rejected: 0, filled: 0, canceled: 0, expired: 0, fills: 0 };
  /** Fills heard while the ledger's history is being read: applied after it, in order. */
  private held: ExecutionReport[] | null = null;

  private position(strategy: string, symbol: string): Position {
    let byStrategy = this.positions.get(strategy);
    if (!byStrategy) {
      byStrategy = new Map();
      this.positions.set(strategy, byStrategy);
    }
    let p = byStrategy.get(symbol);
    if (!p) {
      p = new Position(symbol);
      byStrategy.set(symbol, p);
    }
    return p;
  }

  /** Hold fills from the stream until `seed` has applied the ledger's history (at start). */
  beginSeed(): void {
    this.held ??= [];
  }

  /**
   * Positions from every fill the ledger has (oldest first; each execId once), then the fills heard
   * meanwhile. Returns the reports to show (held order events included), and how many fills applied.
   */
  seed(fills: LedgerTrade[]): { applied: number; events: OrderEvent[] } {
    let applied = 0;
    for (const f of [...fills].sort(byEventTime)) {
      if (this.seen.has(f.exec_id)) continue;
      this.seen.add(f.exec_id);
      this.position(f.strategy_id, f.symbol).onFill(f.side, f.price, f.quantity, f.fee);
      applied++;
    }
    const held = this.held ?? [];
    this.held = null;
    const events = held.map((r) => this.onReport(r)).filter((e): e is OrderEvent => e !== null);
    return { applied, events };
  }

  onReport(r: ExecutionReport): OrderEvent | null {
    if (r.type === 'OrderStatusReported') return null;
    if (this.held && r.type === 'OrderFilled') {
      this.held.push(r);
      return null;
    }
    if (r.type === 'OrderFilled') {
      if (this.seen.has(r.execId)) return null;
      this.seen.add(r.execId);
      this.position(r.strategyId, r.symbol).onFill(r.side, r.lastPx, r.lastQty, r.fee);
      this.counts.fills++;
      if (r.leavesQty <= 0) this.counts.filled++;
      this.fills.push({ ts: r.tsEvent.toString(), strategyId: r.strategyId, symbol: r.symbol, side: r.side, price: r.lastPx, qty: r.lastQty, fee: r.fee, liquidity: r.liquidity, execId: r.execId, clientOrderId: r.clientOrderId });
      if (this.fills.length > 500) this.fills.shift();
    }
    if (r.type === 'OrderAccepted') this.counts.accepted++;
    if (r.type === 'OrderRejected') this.counts.rejected++;
    if (r.type === 'OrderCanceled') this.counts.canceled++;
    if (r.type === 'OrderExpired') this.counts.expired++;
    const detail =
      r.type === 'OrderFilled'
        ? `${r.side} ${r.lastQty} @ ${r.lastPx} (${r.liquidity}), leaves ${r.leavesQty}`
        : r.type === 'OrderAccepted'
          ? `${r.side} ${r.quantity} @ ${r.price ?? 'market'}`
          : r.type === 'OrderRejected' || r.type === 'OrderCancelRejected'
            ? `${r.code}: ${r.reason}`
            : r.type === 'OrderCanceled'
              ? `${r.canceledQty} canceled (${r.reason})`
              : `${r.expiredQty} expired`;
    const e: OrderEvent = { ts: r.tsEvent.toString(), type: r.type, strategyId: r.strategyId, symbol: r.symbol, clientOrderId: r.clientOrderId, orderId: r.orderId, detail };
    this.events.push(e);
    if (this.events.length > 500) this.events.shift();
    return e;
  }

  /** Positions and PnL at the given marks. */
  view(mark: (symbol: string) => number): { strategy: string; symbol: string; qty: number; avgPx: number; realized: number; unrealized: number; fees: number; pnl: number; mark: number | null }[] {
    const out = [];
    for (const [strategy, bySymbol] of this.positions) {
      for (const [symbol, p] of bySymbol) {
        const m = mark(symbol);
        const unrealized = p.unrealized(m);
        out.push({ strategy, symbol, qty: p.qty, avgPx: p.avgPx, realized: p.realized, unrealized, fees: p.fees, pnl: p.realized + unrealized - p.fees, mark: Number.isNaN(m) ? null : m });
      }
    }
    return out.sort((a, b) => (a.strategy + a.symbol).localeCompare(b.strategy + b.symbol));
  }
}
