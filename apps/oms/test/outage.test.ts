// Postgres goes away: orders still go to the venue (the journal holds them), the backlog is bounded
// by denials with a clear reason, and once Postgres is back everything is ledgered exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, startPrivatePostgres, type PrivatePostgres } from '@hft/testing';
import { approved, rig, until, type Rig } from './oms-harness.js';

let pgServer: PrivatePostgres;
let r: Rig;
beforeAll(async () => {
  const [port] = await freePorts(1);
  pgServer = startPrivatePostgres(port!);
  r = await rig({ url: pgServer.url, settings: { buffer_max: 20, batch_max: 5 } });
}, 60_000);
afterAll(async () => {
  await r.done();
  pgServer.destroy();
});

describe('Postgres outage (private server)', () => {
  it('keeps sending, denies beyond the backlog bound, and ledgers each record once on recovery', async () => {
    r.oms.onApproved(approved({ clientOrderId: 'before' }));
    await r.oms.drain();
    pgServer.stop('immediate');
    r.oms.onApproved(approved({ clientOrderId: 'o0' }));
    await until(() => r.oms.ledgerFailing || undefined, 'ledger writes failing');
    for (let i = 1; i < 30; i++) r.oms.onApproved(approved({ clientOrderId: `o${i}` }));
    // Orders reached the venue although nothing was committed.
    expect(r.venue.length).toBeGreaterThan(5);
    const denied = (await r.stream()).filter((e) => e.type === 'OrderDenied');
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatchObject({ code: 'ledger_backlog_full' });
    expect((denied[0] as { reason: string }).reason).toMatch(/journal records are waiting for the ledger \(Postgres unreachable\)/);
    expect(r.venue.length + denied.length).toBe(31);
    pgServer.start();
    await until(() => !r.oms.ledgerFailing || undefined, 'ledger recovered', 30_000);
    await r.oms.drain();
    const counts = await r.ledger.counts();
    expect(counts.orders).toBe(31);
    const events = await r.ledger.pool.query("SELECT count(*)::int AS n, count(DISTINCT stream_seq)::int AS d, max(stream_seq)::int AS m FROM order_events WHERE strategy_id = 'mm'");
    expect(events.rows[0]).toEqual({ n: 31, d: 31, m: 31 });
  }, 90_000);
});
