// OMS benchmark: orders/s ledgered (approval -> Postgres commit -> acknowledged and sent on) and
// execution reports/s applied, with the real ledger on a fresh database. Needs Postgres
// ($DATABASE_URL or scripts/services.sh start). Run: npx nx run oms:bench

import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@hft/config';
import { createLogger } from '@hft/logging';
import { envelope, type ExecutionReport, type OrderApproved } from '@hft/messages';
import { initMetrics } from '@hft/metrics';
import { privateDatabase } from '@hft/testing';
import { Ledger } from '../src/ledger.js';
import { migrate } from '../src/migrate.js';
import { omsMetrics } from '../src/oms-metrics.js';
import { OmsCore } from '../src/oms-core.js';

initMetrics('oms-bench');
const cfg = loadConfig({ env: {} });
const N = 40_000;

async function run(sync: "on" | "off"): Promise<{ ordersPerSec: number; reportsPerSec: number }> {
  const db = await privateDatabase();
  const ledger = new Ledger(db.url, { poolSize: 4, synchronousCommit: sync });
  await migrate(ledger.pool, join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations'));
  let acked = 0;
  const sent: { orderId: number; clientOrderId: string; strategyId: string }[] = [];
  const core = new OmsCore(
    ledger,
    {
      toVenue: (m) => {
        if (m.type === 'SubmitOrder') sent.push({ orderId: m.orderId!, clientOrderId: m.clientOrderId, strategyId: m.strategyId });
        return true;
      },
      toRisk: (_p, m) => {
        if (m.type === 'OrderSubmitted') acked++;
      },
      queryVenue: () => Promise.reject(new Error('no venue in this benchmark')),
      mirror: () => {},
    },
    omsMetrics(),
    createLogger({ daemon: 'bench', destination: new PassThrough(), level: 'error' }),
    { batchMax: cfg.oms.batch_max, bufferMax: N, retryInitialMs: 50, retryMaxMs: 1000 },
  );
  const peer = Buffer.from('risk');
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    core.onApproved(
      { type: 'OrderApproved', ...envelope(), strategyId: 'bench', clientOrderId: `o${i}`, symbol: 'AAPL', side: i % 2 ? 'buy' : 'sell', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100 + (i % 100) / 100, quantity: 100, tsTick: null } as OrderApproved,
      peer,
    );
    // Orders arrive over time, not all at once: yield now and then so the writer batches naturally.
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  while (acked < N) await new Promise((r) => setTimeout(r, 2));
  const ordersPerSec = N / ((performance.now() - t0) / 1000);
  // Execution reports: an ack and a full fill per order.
  const t1 = performance.now();
  for (const s of sent) {
    const base = { ...envelope(), strategyId: s.strategyId, clientOrderId: s.clientOrderId, symbol: 'AAPL', orderId: s.orderId };
    core.onReport({ type: 'OrderAccepted', ...base, side: 'buy', price: 100, quantity: 100, tsTick: null } as ExecutionReport);
    core.onReport({ type: 'OrderFilled', ...base, execId: `F${s.orderId}`, side: 'buy', lastPx: 100, lastQty: 100, cumQty: 100, leavesQty: 0, avgPx: 100, liquidity: 'taker', fee: 0, tsTick: null } as ExecutionReport);
  }
  await core.drain();
  const reportsPerSec = (2 * N) / ((performance.now() - t1) / 1000);
  const counts = await ledger.counts();
  if (counts.orders !== N || counts.fills !== N) throw new Error(`ledger mismatch: ${JSON.stringify(counts)}`);
  core.close();
  await ledger.close();
  await db.drop();
  return { ordersPerSec, reportsPerSec };
}

const on = await run('on');
const off = await run('off');
const result = {
  orders: N,
  ordersLedgeredPerSec: Math.round(on.ordersPerSec),
  reportsAppliedPerSec: Math.round(on.reportsPerSec),
  ordersLedgeredPerSecAsyncCommit: Math.round(off.ordersPerSec),
  reportsAppliedPerSecAsyncCommit: Math.round(off.reportsPerSec),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`OMS ledger benchmark (${N.toLocaleString('en-US')} orders, batches of up to ${cfg.oms.batch_max}, real Postgres)`);
  console.log(`  synchronous_commit=on   ${result.ordersLedgeredPerSec.toLocaleString('en-US')} orders/s ledgered (approval -> commit -> ack + sent), ${result.reportsAppliedPerSec.toLocaleString('en-US')} reports/s applied`);
  console.log(`  synchronous_commit=off  ${result.ordersLedgeredPerSecAsyncCommit.toLocaleString('en-US')} orders/s ledgered, ${result.reportsAppliedPerSecAsyncCommit.toLocaleString('en-US')} reports/s applied`);
}
process.exit(0);
