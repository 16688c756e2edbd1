// Postgres goes away: orders wait (not acknowledged, not sent), the buffer refuses beyond its bound,
// and when Postgres is back every held order is ledgered exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderApproved } from '@hft/messages';
import { freePorts, startPrivatePostgres, type PrivatePostgres } from '@hft/testing';
import { approved, PEER, rig, until, type Rig } from './core-harness.js';

let pgServer: PrivatePostgres;
let r: Rig;
beforeAll(async () => {
  const [port] = await freePorts(1);
  pgServer = startPrivatePostgres(port!);
  r = await rig(pgServer.url, { bufferMax: 50, retryInitialMs: 20 });
}, 60_000);
afterAll(async () => {
  await r.done();
  pgServer.destroy();
});

describe('Postgres outage (private server)', () => {
  it('holds orders with retries, refuses beyond the buffer with a clear reason, and ledgers each once on recovery', async () => {
    r.core.onApproved(approved({ clientOrderId: 'before' }) as OrderApproved, PEER);
    await until(() => r.risk.find((m) => m.type === 'OrderSubmitted'), 'first ack');
    pgServer.stop('immediate');
    r.core.onApproved(approved({ clientOrderId: 'o0' }) as OrderApproved, PEER);
    await until(() => r.logs.join('').includes('ledger write failed; holding and retrying') || undefined, 'retrying');
    for (let i = 1; i < 60; i++) r.core.onApproved(approved({ clientOrderId: `o${i}` }) as OrderApproved, PEER);
    const rejected = r.risk.filter((m) => m.type === 'OrderRejected');
    expect(rejected).toHaveLength(10);
    expect(rejected[0]).toMatchObject({ code: 'OMS_BUFFER_FULL', clientOrderId: 'o50' });
    expect((rejected[0] as { reason: string }).reason).toMatch(/50 orders are waiting for the ledger \(Postgres unreachable\)/);
    // Nothing was acknowledged or sent to the venue while the ledger was away.
    expect(r.risk.filter((m) => m.type === 'OrderSubmitted')).toHaveLength(1);
    expect(r.venue).toHaveLength(1);
    expect(r.core.ledgerFailing).toBe(true);
    pgServer.start();
    await until(() => r.risk.filter((m) => m.type === 'OrderSubmitted').length === 51 || undefined, 'acks after recovery', 30_000);
    expect(r.venue).toHaveLength(51);
    const counts = await r.ledger.counts();
    expect(counts.orders).toBe(51);
    const ids = await r.ledger.pool.query('SELECT count(DISTINCT client_order_id)::int AS n FROM orders');
    expect(ids.rows[0].n).toBe(51);
    expect(r.core.ledgerFailing).toBe(false);
  });
});
