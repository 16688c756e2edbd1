// What must hold between the ledger (system of record) and risk's Redis state once a run is quiet.
import { Redis } from 'ioredis';
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

/** Net position per strategy/symbol from the ledger's fills (zero positions left out). */
export async function ledgerPositions(P: TestPlatform): Promise<Map<string, number>> {
  const rows = (await P.db.query<{ k: string; q: number }>(`SELECT strategy_id || '/' || symbol AS k, sum(CASE side WHEN 'buy' THEN quantity ELSE -quantity END)::float8 AS q FROM fills GROUP BY 1`)).rows;
  return nonZero(new Map(rows.map((r) => [r.k, r.q])));
}

export const nonZero = (m: Map<string, number>): Map<string, number> => new Map([...m].filter(([, q]) => Math.abs(q) > 1e-9));

/** The ledger agrees with itself: no order filled more or less than the sum of its fills. */
export async function expectLedgerConsistent(P: TestPlatform): Promise<void> {
  const drift = await P.db.query(
    `SELECT o.order_id, o.cum_qty, coalesce(sum(f.quantity), 0) AS filled FROM orders o LEFT JOIN fills f USING (order_id)
     GROUP BY o.order_id HAVING o.cum_qty <> coalesce(sum(f.quantity), 0) OR o.leaves_qty < 0 OR o.cum_qty > o.quantity`,
  );
  expect(drift.rows).toEqual([]);
  const twice = await P.db.query('SELECT strategy_id, client_order_id, count(*) FROM orders GROUP BY 1, 2 HAVING count(*) > 1');
  expect(twice.rows).toEqual([]);
}

/** Risk's positions equal the sum of the ledger's fills; its working quantity what the ledger still has working. */
export async function expectRiskMatchesLedger(P: TestPlatform, token: string): Promise<void> {
  const res = await fetch(P.url('risk', '/api/risk/status'), { headers: { authorization: `Bearer ${token}` } });
  const risk = (await res.json()) as { positions: { strategy: string; symbol: string; qty: number; workingBuy: number; workingSell: number }[] };
  const riskPos = nonZero(new Map(risk.positions.map((p) => [`${p.strategy}/${p.symbol}`, p.qty])));
  const ledger = await ledgerPositions(P);
  if (JSON.stringify([...riskPos].sort()) !== JSON.stringify([...ledger].sort())) {
    // Say which fills risk never applied (its execId keys), to make a failure diagnosable.
    const redis = new Redis(P.env['REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0');
    const fills = (await P.db.query<{ exec_id: string; strategy_id: string; side: string; q: number; recorded_at: Date }>('SELECT exec_id, strategy_id, side, quantity::float8 AS q, recorded_at FROM fills ORDER BY recorded_at')).rows;
    const unapplied = [];
    for (const f of fills) if (!(await redis.exists(`${P.env['HFT__RISK__REDIS_PREFIX']}exec:${f.exec_id}`))) unapplied.push(f);
    const known = new Set(fills.map((f) => f.exec_id));
    const execPrefix = `${P.env['HFT__RISK__REDIS_PREFIX']}exec:`;
    const notInLedger = (await redis.keys(`${execPrefix}*`)).map((k) => k.slice(execPrefix.length)).filter((id) => !known.has(id));
    redis.disconnect();
    expect({ riskPos, ledger, ledgerFillsRiskNeverApplied: unapplied, riskFillsNotInLedger: notInLedger }).toEqual({ riskPos: ledger, ledger, ledgerFillsRiskNeverApplied: [], riskFillsNotInLedger: [] });
  }
  const open = (await P.db.query<{ k: string; side: string; q: number }>(`SELECT strategy_id || '/' || symbol AS k, side, sum(leaves_qty)::float8 AS q FROM orders WHERE status = ANY($1) GROUP BY 1, 2`, [WORKING])).rows;
  for (const p of risk.positions) {
    const k = `${p.strategy}/${p.symbol}`;
    const want = { k, buy: open.find((o) => o.k === k && o.side === 'buy')?.q ?? 0, sell: open.find((o) => o.k === k && o.side === 'sell')?.q ?? 0 };
    if (p.workingBuy !== want.buy || p.workingSell !== want.sell) {
      // Which orders risk still counts as working that the ledger has finished, with their history.
      const redis = new Redis(P.env['REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0');
      const prefix = `${P.env['HFT__RISK__REDIS_PREFIX']}order:${p.strategy}:`;
      const held = (await redis.keys(`${prefix}*`)).map((key) => key.slice(prefix.length));
      const heldOrders: Record<string, Record<string, string>> = {};
      for (const id of held) heldOrders[id] = await redis.hgetall(`${prefix}${id}`);
      redis.disconnect();
      const inLedger = new Set((await P.db.query<{ c: string }>('SELECT client_order_id AS c FROM orders WHERE client_order_id = ANY($1)', [held])).rows.map((r) => r.c));
      const heldNotInLedger = Object.fromEntries(Object.entries(heldOrders).filter(([id]) => !inLedger.has(id)));
      const stale = (
        await P.db.query<{ client_order_id: string; status: string; events: string }>(
          `SELECT o.client_order_id, o.status, string_agg(e.event_type, ',' ORDER BY e.seq) AS events FROM orders o JOIN order_events e USING (order_id)
           WHERE o.client_order_id = ANY($1) AND o.status <> ALL($2) GROUP BY 1, 2`,
          [held, WORKING],
        )
      ).rows;
      expect({ k, buy: p.workingBuy, sell: p.workingSell, stale, heldNotInLedger }).toEqual({ ...want, stale: [], heldNotInLedger: {} });
    }
  }
}
