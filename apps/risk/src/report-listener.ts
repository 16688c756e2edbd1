import type { Logger } from '@hft/logging';
import type { ExecutionReport } from '@hft/messages';
import type { RiskMetrics } from './risk-metrics.js';
import type { RiskStore } from './risk-store.js';

type Op = { what: string; run: () => Promise<unknown> };

/**
 * Positions follow fills, not approvals. Execution reports update positions, PnL and working
 * quantity in Redis; when Redis is down the updates wait in a bounded queue and are retried in order
 * once it is back, so a fill is never lost to an outage.
 */
export class ReportListener {
  private pending: Op[] = [];
  private draining = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly store: RiskStore,
    private readonly m: RiskMetrics,
    private readonly log: Logger,
    private readonly maxPending = 1_000_000,
  ) {
    this.timer = setInterval(() => void this.drain(), 500);
    this.timer.unref();
  }

  get backlog(): number {
    return this.pending.length;
  }

  onReport(r: ExecutionReport): void {
    switch (r.type) {
      case 'OrderFilled':
        this.enqueue({
          what: `fill ${r.execId}`,
          run: async () => {
            const applied = await this.store.fill({ strategy: r.strategyId, symbol: r.symbol, clientOrderId: r.clientOrderId, execId: r.execId, side: r.side, px: r.lastPx, qty: r.lastQty, fee: r.fee, leaves: r.leavesQty });
            (applied ? this.m.fills : this.m.repeatedFills).inc();
          },
        });
        break;
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderRejected':
        this.release(r.strategyId, r.symbol, r.clientOrderId);
        break;
      default:
        break;
    }
  }

  /** The order is over: its working quantity no longer counts against the position limit. */
  release(strategy: string, symbol: string, clientOrderId: string): void {
    this.enqueue({ what: `release ${clientOrderId}`, run: () => this.store.done(strategy, symbol, clientOrderId) });
  }

  private enqueue(op: Op): void {
    if (this.pending.length >= this.maxPending) {
      this.m.stateErrors.inc({ op: 'backlog_full' });
      this.log.error({ what: op.what }, 'risk state backlog full: execution report dropped, positions may be wrong until reconciled');
      return;
    }
    this.pending.push(op);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const op = this.pending[0]!;
        try {
          await op.run();
          this.pending.shift();
        } catch (e) {
          this.m.stateErrors.inc({ op: 'report' });
          this.log.warn({ what: op.what, backlog: this.pending.length, err: (e as Error).message }, 'cannot update risk state yet; will retry');
          break;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }
}
