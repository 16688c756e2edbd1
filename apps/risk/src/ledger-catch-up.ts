import type { Logger } from '@hft/logging';
import { byEventTime, type LedgerTrade } from '@hft/messages';
import type { RiskMetrics } from './risk-metrics.js';
import type { HeldOrder, RiskStore } from './risk-store.js';

const TERMINAL = new Set(['Filled', 'Canceled', 'Rejected', 'Expired', 'Denied']);
const PAGE = 5000;

interface OrderRow {
  strategy_id: string;
  symbol: string;
  client_order_id: string;
  status: string;
}

/**
 * Execution reports reach risk over a PUB stream, so whatever was published while risk was down is
 * gone. After a restart, risk reads the fills and finished orders of that gap back from the OMS
 * ledger (the system of record) and applies them; fills are idempotent by execId, releases by order.
 */
export class LedgerCatchUp {
  constructor(
    private readonly store: RiskStore,
    private readonly omsUrl: string,
    private readonly token: () => Promise<string | null>,
    private readonly m: RiskMetrics,
    private readonly log: Logger,
  ) {}

  private async get<T>(path: string, token: string): Promise<T[]> {
    const res = await fetch(`${this.omsUrl}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T[];
  }

  /**
   * Orders a previous risk process approved and still holds working quantity for. Its record of
   * approvals the OMS had not acknowledged died with it: one the ledger never got is lost (released,
   * and `lost` tells the strategy), one the ledger finished is released, one still working stays.
   */
  async resolveInherited(held: HeldOrder[], lost: (o: HeldOrder) => void): Promise<{ lost: number; finished: number }> {
    const token = await this.token();
    if (!token) throw new Error('no service token (risk.service_user / service_password_file not set, or login failed)');
    let nLost = 0;
    let finished = 0;
    for (const o of held) {
      const [row] = await this.get<OrderRow>(`/api/orders?strategy=${encodeURIComponent(o.strategy)}&client_order_id=${encodeURIComponent(o.clientOrderId)}&limit=1`, token);
      if (row && !TERMINAL.has(row.status)) continue;
      if ((await this.store.done(o.strategy, o.symbol, o.clientOrderId)) <= 0) continue;
      this.m.caughtUp.inc({ kind: row ? 'release' : 'lost_approval' });
      if (row) finished++;
      else {
        nLost++;
        lost(o);
      }
    }
    if (nLost || finished) this.log.warn({ lost: nLost, finished }, 'released orders approved before the restart that the ledger never got or has finished');
    return { lost: nLost, finished };
  }

  /** Apply what the ledger recorded since `since`; returns the fills and releases applied. */
  async run(since: Date): Promise<{ fills: number; releases: number }> {
    const token = await this.token();
    if (!token) throw new Error('no service token (risk.service_user / service_password_file not set, or login failed)');
    const from = encodeURIComponent(since.toISOString());
    const trades = await this.get<LedgerTrade>(`/api/trades?from=${from}&limit=${PAGE}`, token);
    const orders = await this.get<OrderRow>(`/api/orders?updated_from=${from}&limit=${PAGE}`, token);
    if (trades.length === PAGE || orders.length === PAGE) this.log.error({ since }, `more than ${PAGE} ledger rows since the last heartbeat: only the newest were read back`);
    let fills = 0;
    // Oldest first, as they happened: average price and realised PnL follow the same path.
    for (const t of trades.sort(byEventTime)) {
      const applied = await this.store.fill({ strategy: t.strategy_id, symbol: t.symbol, clientOrderId: t.client_order_id, execId: t.exec_id, side: t.side, px: t.price, qty: t.quantity, fee: t.fee, leaves: t.order_leaves_qty });
      if (applied) fills++;
    }
    let releases = 0;
    for (const o of orders) if (TERMINAL.has(o.status) && (await this.store.done(o.strategy_id, o.symbol, o.client_order_id)) > 0) releases++;
    this.m.caughtUp.inc({ kind: 'fill' }, fills);
    this.m.caughtUp.inc({ kind: 'release' }, releases);
    if (fills || releases) this.log.warn({ since, fills, releases }, 'applied fills and finished orders missed while risk was down (from the OMS ledger)');
    return { fills, releases };
  }
}
