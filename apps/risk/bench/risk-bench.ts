// Risk benchmark: the pre-trade decision in memory against one Redis round trip (PING) measured in
// the same run, with the state written behind to the real Redis; then orders/s through the risk
// daemon (real processes: security, risk, OMS) and the kill-switch call -> first denial.
// Needs Redis and Postgres (scripts/services.sh start). Run: npx nx run risk:bench
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { initMetrics } from '@hft/metrics';
import { loadConfig } from '@hft/config';
import { aaplChainSnapshot } from '@hft/testing';
import { GreekBook } from '../src/greek-exposure.js';
import { RiskEngine } from '../src/risk-engine.js';
import { RiskPersistence } from '../src/risk-persistence.js';
import { instruments } from '../test/engine-harness.js';
import { daemonThroughput } from './risk-daemon-bench.js';

const REDIS = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
initMetrics('risk-bench');
const q = (xs: number[], f: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;

// 1. One Redis round trip, then the decision (state persisted behind, as in the daemon).
const redis = new Redis(REDIS);
const ping: number[] = [];
for (let i = 0; i < 3000; i++) {
  const t0 = performance.now();
  await redis.ping();
  ping.push((performance.now() - t0) * 1000);
}
redis.disconnect();
const prefix = `bench:${randomUUID().slice(0, 8)}:`;
const store = new RiskPersistence(REDIS, prefix, { maxLagMs: 60_000, maxPending: 1e9 });
const engine = new RiskEngine(instruments, store, 1_000_000);
store.bind(engine, () => new Map());
await store.connect();
engine.setLimits('default', null, { max_order_qty: 1e9, max_notional: 1e15, price_band_bps: 1000, max_position: 1e12, daily_loss_limit: 1e12, max_orders_per_sec: 1e9 }, 'bench');
const N = 50_000;
const decisions = async (symbol: string, price: number, tag: string): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    engine.check({ strategyId: 's', clientOrderId: `${tag}${i}`, symbol, side: i % 2 ? 'buy' : 'sell', quantity: 1, price }, price, true);
    out.push((performance.now() - t0) * 1000);
    // Let the persister write behind every so often, as the daemon's event loop would.
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  return out;
};
// MSFT has no listed options: no greek check. AAPL has: the shipped greek limits over its book
// (the working orders of the run in AAPL and one option contract), as the daemon runs them.
const decide = await decisions('MSFT', 100, 'a');
engine.greeks = new GreekBook(instruments, loadConfig({ env: {} }).risk.greek_limits);
engine.greeks.onSnapshot(aaplChainSnapshot());
engine.check({ strategyId: 's', clientOrderId: 'opt', symbol: 'AAPL260306C187.5', side: 'buy', quantity: 1, price: 2.2 }, 2.2, true);
const decideGreeks = await decisions('AAPL', 187.5, 'g');
await store.flushed(30_000);
const cleanup = new Redis(REDIS);
let cursor = '0';
do {
  const [next, keys] = await cleanup.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000);
  if (keys.length) await cleanup.del(...keys);
  cursor = next;
} while (cursor !== '0');
cleanup.disconnect();
await store.close();

const d = await daemonThroughput();
const result = {
  redisPingP50Us: +q(ping, 0.5).toFixed(1),
  decisionP50Us: +q(decide, 0.5).toFixed(2),
  decisionP99Us: +q(decide, 0.99).toFixed(2),
  decisionVsPingP50: +(q(decide, 0.5) / q(ping, 0.5)).toFixed(3),
  greekDecisionP50Us: +q(decideGreeks, 0.5).toFixed(2),
  greekDecisionP99Us: +q(decideGreeks, 0.99).toFixed(2),
  greekVsPlainP50: +(q(decideGreeks, 0.5) / q(decide, 0.5)).toFixed(2),
  ...d,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log('risk benchmark (real Redis; daemons as real processes)');
  console.log(`  one Redis round trip (PING)                   p50 ${result.redisPingP50Us} µs`);
  console.log(`  pre-trade decision in memory (${N.toLocaleString('en-US')} orders)  p50 ${result.decisionP50Us} µs  p99 ${result.decisionP99Us} µs  -> ${result.decisionVsPingP50}x one Redis round trip (state written behind)`);
  console.log(`  ... with greek limits (AAPL, options listed)  p50 ${result.greekDecisionP50Us} µs  p99 ${result.greekDecisionP99Us} µs  -> ${result.greekVsPlainP50}x the decision without`);
  console.log(`  orders through the risk daemon                ${result.ordersPerSecThroughDaemon.toLocaleString('en-US')} orders/s (${result.orders} orders, strategy DEALER -> risk -> OMS -> stream)`);
  console.log(`  kill-switch: HTTP call returned -> first denial  ${result.killSwitchToFirstDenialMs} ms`);
}
process.exit(0);
