// What must hold between the ledger (the system of record) and everyone who follows it, once a run is
// quiet: risk's positions and working quantities, the strategies' positions and open orders, and
// monitoring's positions all equal the ledger's; the order-event stream has no hole.
import { expect } from 'vitest';
import { until, type TestPlatform } from '@hft/testing';

export const WORKING = ['PendingNew', 'New', 'PartiallyFilled', 'PendingCancel'];

export const counts = async (P: TestPlatform) =>
  (await P.db.query<{ o: number; e: number; f: number }>('SELECT (SELECT count(*) FROM orders)::int AS o, (SELECT count(*) FROM order_events)::int AS e, (SELECT count(*) FROM fills)::int AS f')).rows[0]!;

/** Wait until nothing changes in the ledger for two seconds in a row. */
export async function settled(P: TestPlatform, ms = 60_000): Promise<void> {
  let last = JSON.stringify(await counts(P));
  await until(
    async () => {
      await new Promise((r) => setTimeout(r, 2000));
      const now = JSON.stringify(await counts(P));
      const same = now === last;
      last = now;
      return same;
    },
    'the ledger to settle',
    ms,
  );
}

export const nonZero = (m: Map<string, number>): Map<string, number> => new Map([...m].filter(([, q]) => Math.abs(q) > 1e-9).sort(([a], [b]) => a.localeCompare(b)));

/** Net position per strategy/symbol from the ledger's fills (zero positions left out). */
export async function ledgerPositions(P: TestPlatform): Promise<Map<string, number>> {
  const rows = (await P.db.query<{ k: string; q: number }>(`SELECT strategy_id || '/' || symbol AS k, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END)::float8 AS q FROM fills GROUP BY 1`)).rows;
  return nonZero(new Map(rows.map((r) => [r.k, r.q])));
}

/** Working quantity per strategy/symbol/side from the ledger's open orders. */
async function ledgerWorking(P: TestPlatform): Promise<Map<string, number>> {
  const rows = (await P.db.query<{ k: string; q: number }>(`SELECT strategy_id || '/' || symbol || '/' || side AS k, sum(leaves_qty)::float8 AS q FROM orders WHERE status = ANY($1) GROUP BY 1`, [WORKING])).rows;
  return nonZero(new Map(rows.map((r) => [r.k, r.q])));
}

/** The ledger agrees with itself: no order filled more or less than the sum of its fills, no id twice, no hole in any stream. */
export async function expectLedgerConsistent(P: TestPlatform): Promise<void> {
  const drift = await P.db.query(
    `SELECT o.order_id, o.cum_qty, coalesce(sum(f.quantity), 0) AS filled FROM orders o LEFT JOIN fills f USING (order_id)
     GROUP BY o.order_id HAVING o.cum_qty <> coalesce(sum(f.quantity), 0) OR o.leaves_qty < 0 OR o.cum_qty > o.quantity`,
  );
  expect(drift.rows).toEqual([]);
  const twice = await P.db.query('SELECT strategy_id, client_order_id, count(*) FROM orders GROUP BY 1, 2 HAVING count(*) > 1');
  expect(twice.rows).toEqual([]);
  const holes = await P.db.query(`SELECT strategy_id, count(*)::int AS n, max(stream_seq)::int AS head FROM order_events WHERE stream_seq IS NOT NULL GROUP BY 1 HAVING count(*) <> max(stream_seq)`);
  expect(holes.rows).toEqual([]);
}

interface Views {
  ledger: { positions: Map<string, number>; working: Map<string, number>; open: string[] };
  risk: { positions: Map<string, number>; working: Map<string, number> };
  strategies: { positions: Map<string, number>; open: string[] };
  monitoring: { positions: Map<string, number> };
}

async function views(P: TestPlatform, token: string): Promise<Views> {
  const get = async <T>(d: 'risk' | 'strategy' | 'monitoring', path: string): Promise<T> => (await (await fetch(P.url(d, path), { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const risk = await get<{ positions: { strategy: string; symbol: string; qty: number; workingBuy: number; workingSell: number }[] }>('risk', '/api/risk/status');
  const strategies = await get<{ id: string; positions: { symbol: string; qty: number }[]; openOrders: { clientOrderId: string }[] }[]>('strategy', '/api/strategies');
  const monitoring = await get<{ strategy: string; symbol: string; qty: number }[]>('monitoring', '/api/positions');
  const hosted = new Set(strategies.map((s) => s.id));
  const open = (await P.db.query<{ k: string }>(`SELECT strategy_id || '/' || client_order_id AS k FROM orders WHERE status = ANY($1) ORDER BY 1`, [WORKING])).rows.map((r) => r.k);
  return {
    ledger: { positions: await ledgerPositions(P), working: await ledgerWorking(P), open: open.filter((k) => hosted.has(k.slice(0, k.indexOf('/')))) },
    risk: {
      positions: nonZero(new Map(risk.positions.map((p) => [`${p.strategy}/${p.symbol}`, p.qty]))),
      working: nonZero(new Map(risk.positions.flatMap((p) => [[`${p.strategy}/${p.symbol}/buy`, p.workingBuy] as const, [`${p.strategy}/${p.symbol}/sell`, p.workingSell] as const]))),
    },
    strategies: {
      positions: nonZero(new Map(strategies.flatMap((s) => s.positions.map((p) => [`${s.id}/${p.symbol}`, p.qty] as const)))),
      open: strategies.flatMap((s) => s.openOrders.map((o) => `${s.id}/${o.clientOrderId}`)).sort(),
    },
    monitoring: { positions: nonZero(new Map(monitoring.map((p) => [`${p.strategy}/${p.symbol}`, p.qty]))) },
  };
}

/**
 * Risk, the strategies and monitoring all equal the ledger (given up to `ms` to catch up on the
 * order-event stream). On a mismatch the failure shows every view side by side.
 */
export async function expectAllAgreeWithLedger(P: TestPlatform, ms = 30_000): Promise<void> {
  const token = await P.login('dana');
  const agree = (v: Views): boolean => {
    const same = <T>(a: T, b: T) => JSON.stringify(a instanceof Map ? [...a] : a) === JSON.stringify(b instanceof Map ? [...b] : b);
    return same(v.risk.positions, v.ledger.positions) && same(v.risk.working, v.ledger.working) && same(v.strategies.positions, v.ledger.positions) && same(v.strategies.open, v.ledger.open) && same(v.monitoring.positions, v.ledger.positions);
  };
  let last: Views | null = null;
  try {
    await until(async () => agree((last = await views(P, token))) || undefined, 'risk, strategies and monitoring to agree with the ledger', ms);
  } catch {
    const v = last!;
    const show = (m: Map<string, number>) => Object.fromEntries(m);
    expect({
      riskPositions: show(v.risk.positions),
      riskWorking: show(v.risk.working),
      strategyPositions: show(v.strategies.positions),
      strategyOpenOrders: v.strategies.open,
      monitoringPositions: show(v.monitoring.positions),
    }).toEqual({
      riskPositions: show(v.ledger.positions),
      riskWorking: show(v.ledger.working),
      strategyPositions: show(v.ledger.positions),
      strategyOpenOrders: v.ledger.open,
      monitoringPositions: show(v.ledger.positions),
    });
  }
}
