// OMS benchmark: approvals/s turned into venue orders (journal write, then send: nothing waits for
// Postgres), how fast the ledger commits behind, and venue reports/s applied, on a fresh database.
// Needs Postgres ($DATABASE_URL or scripts/services.sh start). Run: npx nx run oms:bench
import { approved, fill, report, rig } from '../test/oms-harness.js';

const N = 40_000;

async function run(fsync: 'interval' | 'always'): Promise<Record<string, number>> {
  const r = await rig({ settings: { journal_fsync: fsync, buffer_max: 10 * N } });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    r.oms.onApproved(approved({ strategyId: 'bench', clientOrderId: `o${i}`, side: i % 2 ? 'buy' : 'sell', price: 100 + (i % 100) / 100 }));
    // Orders arrive over time, not all at once: yield now and then so the ledger batches naturally.
    if (i % 1000 === 999) await new Promise((res) => setImmediate(res));
  }
  const sent = performance.now() - t0;
  await r.oms.drain();
  const ledgered = performance.now() - t0;
  const t1 = performance.now();
  for (const v of r.venue.splice(0)) {
    r.oms.onVenueReport(report(v, { type: 'OrderAccepted', side: v.type === 'VenueSubmitOrder' ? v.side : 'buy', price: 100, quantity: 100, tsTick: null }));
    r.oms.onVenueReport(fill(v, `F${v.orderId}`, 100, 100));
  }
  const applied = performance.now() - t1;
  await r.oms.drain();
  const counts = await r.ledger.counts();
  if (counts.orders !== N || counts.fills !== N) throw new Error(`ledger mismatch: ${JSON.stringify(counts)}`);
  await r.done();
  return { sentPerSec: N / (sent / 1000), ledgeredPerSec: N / (ledgered / 1000), reportsPerSec: (2 * N) / (applied / 1000) };
}

const interval = await run('interval');
const always = process.argv.includes('--interval-only') ? interval : await run('always');
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
if (process.argv.includes('--json')) console.log(JSON.stringify({ orders: N, interval, always }));
else {
  console.log(`OMS benchmark (${N.toLocaleString('en-US')} orders in process, real Postgres, journal on local disk)`);
  for (const [name, x] of [['journal_fsync=interval', interval], ['journal_fsync=always', always]] as const) {
    console.log(`  ${name.padEnd(24)} ${fmt(x.sentPerSec!)} approvals/s to the venue, ledger committed behind at ${fmt(x.ledgeredPerSec!)} orders/s, ${fmt(x.reportsPerSec!)} venue reports/s applied`);
  }
}
process.exit(0);
