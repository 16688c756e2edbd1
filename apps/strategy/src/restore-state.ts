import type { ServiceToken } from '@hft/auth';
import type { Logger } from '@hft/logging';
import type { RiskPosition, Side } from '@hft/messages';
import type { StrategyHost } from '@hft/strategies';

const WORKING = ['PendingNew', 'New', 'PartiallyFilled', 'PendingCancel'] as const;

interface LedgerOrder {
  order_id: number;
  client_order_id: string;
  symbol: string;
  side: Side;
  order_type: 'limit' | 'market';
  price: number | null;
  quantity: number;
  cum_qty: number;
  leaves_qty: number;
  status: (typeof WORKING)[number];
}

async function get<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/**
 * A strategy that restarts must not believe it is flat: positions are read from risk (Redis, what
 * the limits use) and working orders from the OMS ledger before the first tick is dispatched.
 */
export async function restoreState(host: StrategyHost, ids: readonly string[], urls: { risk: string; oms: string }, token: ServiceToken, log: Logger): Promise<{ positions: number; orders: number }> {
  const t = await token.ready(10_000);
  if (!t) throw new Error('no service token from the security daemon');
  const status = await get<{ positions: RiskPosition[] }>(`${urls.risk}/api/risk/status`, t);
  let positions = 0;
  let orders = 0;
  for (const id of ids) {
    const open: LedgerOrder[] = [];
    for (const s of WORKING) open.push(...(await get<LedgerOrder[]>(`${urls.oms}/api/orders?strategy=${encodeURIComponent(id)}&status=${s}&limit=5000`, t)));
    const mine = status.positions.filter((p) => p.strategy === id);
    host.restore(id, {
      positions: mine,
      openOrders: open.map((o) => ({
        clientOrderId: o.client_order_id,
        orderId: o.order_id,
        symbol: o.symbol,
        side: o.side,
        type: o.order_type,
        price: o.price,
        qty: o.quantity,
        cumQty: o.cum_qty,
        leavesQty: o.leaves_qty,
        status: o.status,
      })),
    });
    positions += mine.length;
    orders += open.length;
  }
  if (positions || orders) log.warn({ positions, orders }, 'resumed positions (from risk) and working orders (from the ledger) of a previous run');
  return { positions, orders };
}
