// Risk benchmark: in-process check cost (p50/p99, the Redis round trip included), orders/s through
// the risk daemon (real process, real sockets), and the time from the HTTP kill-switch call
// returning to the first denied order. Needs Redis ($REDIS_URL or scripts/services.sh start).
// Run: npx nx run risk:bench

import { randomUUID } from 'node:crypto';
import { decodeMessage, encodeBookSnapshot, encodeMessage, envelope, nowNs, topics } from '@hft/messages';
import { initMetrics } from '@hft/metrics';
import { platformEnv, startDaemon, testSigner } from '@hft/testing';
import { DealerClient, Publisher, RouterServer } from '@hft/transport';
import { RiskStore } from '../src/risk-store.js';

const REDIS = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
initMetrics('risk-bench');
const q = (xs: number[], f: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(f * xs.length))]!;
const limits = { max_order_qty: 1e9, max_notional: 1e15, price_band_bps: 1000, max_position: 1e12, daily_loss_limit: 1e12, max_orders_per_sec: 1e9 };

// 1. In-process: one check at a time, then many in flight.
const prefix = `bench:${randomUUID().slice(0, 8)}:`;
const store = new RiskStore(REDIS, prefix, { duplicateWindowS: 60 });
await store.connect();
await store.seedLimits({ default_limits: limits, symbol_limits: {}, strategy_limits: {}, restricted_symbols: [] }, true);
const N = 5000;
const lat: number[] = [];
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  await store.check({ mode: 'submit', strategy: 's', clientOrderId: `a${i}`, symbol: 'AAPL', side: 'buy', qty: 1, price: 100, reference: 100 });
  lat.push((performance.now() - t0) * 1000);
}
const C = 20_000;
const t0 = performance.now();
await Promise.all(Array.from({ length: C }, (_, i) => store.check({ mode: 'submit', strategy: 's', clientOrderId: `b${i}`, symbol: 'AAPL', side: i % 2 ? 'buy' : 'sell', qty: 1, price: 100, reference: 100 })));
const pipelined = C / ((performance.now() - t0) / 1000);
for (const k of await store.scan(`${prefix}*`)) await store.redis.del(k);
await store.close();

// 2. Through the daemon.
const signer = testSigner();
const p = await platformEnv({ HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, HFT__RISK__DEFAULT_LIMITS__MAX_ORDERS_PER_SEC: '1000000000', HFT__RISK__DEFAULT_LIMITS__MAX_POSITION: '1000000000000', HFT__RISK__DEFAULT_LIMITS__MAX_NOTIONAL: '1000000000000', LOG_LEVEL: 'error' });
const risk = startDaemon('risk', ['--reset-limits'], p.env);
await risk.ready(p.http.risk);
let approved = 0;
const oms = new RouterServer({ stream: 'approved', endpoint: p.endpoint.approved, linger: 0 });
await oms.start(() => approved++);
const books = new Publisher({ stream: 'books', endpoint: p.endpoint.books, linger: 0 });
await books.bind();
await books.waitForSubscribers(topics.book('AAPL'), 1, 10_000);
const t = nowNs();
books.publish(topics.book('AAPL'), encodeBookSnapshot({ symbol: 'AAPL', seq: 1, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [9995, 100], bidLevels: 1, asks: [10005, 100], askLevels: 1 }));
await new Promise((r) => setTimeout(r, 200));
const denials: { at: number; check: string }[] = [];
const strategy = new DealerClient({ stream: 'orders', endpoint: p.endpoint.orders, identity: 'bench', linger: 0 });
strategy.start((body) => {
  const m = decodeMessage(body, ['OrderDenied']);
  if (m.ok) denials.push({ at: performance.now(), check: m.value.check });
});
const order = (i: number, side: 'buy' | 'sell' = 'buy') =>
  encodeMessage({ type: 'SubmitOrder', ...envelope(), strategyId: 'bench', clientOrderId: `o-${i}`, symbol: 'AAPL', side, orderType: 'limit', timeInForce: 'gtc', price: 100, quantity: 1, tsTick: null });
const M = 20_000;
const s0 = performance.now();
for (let i = 0; i < M; i++) strategy.send(order(i, i % 2 ? 'buy' : 'sell'));
while (approved + denials.length < M) await new Promise((r) => setTimeout(r, 5));
const throughput = M / ((performance.now() - s0) / 1000);

// 3. Kill-switch: orders every ~1 ms; engage; first denial after the call returned.
denials.length = 0;
let i = M;
const pump = setInterval(() => strategy.send(order(i++)), 1);
await new Promise((r) => setTimeout(r, 200));
const res = await fetch(`http://127.0.0.1:${p.http.risk}/api/risk/kill-switch`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${signer.token('bench', ['risk'])}`, 'content-type': 'application/json' },
  body: JSON.stringify({ engaged: true, scope: 'global', reason: 'benchmark' }),
});
const returned = performance.now();
if (res.status !== 200) throw new Error(`kill-switch call failed: ${res.status}`);
while (!denials.some((d) => d.check === 'kill_switch')) await new Promise((r) => setImmediate(r));
const firstDenied = denials.find((d) => d.check === 'kill_switch')!.at;
clearInterval(pump);
await fetch(`http://127.0.0.1:${p.http.risk}/api/risk/kill-switch`, {
  method: 'PUT',
  headers: { authorization: `Bearer ${signer.token('bench', ['risk'])}`, 'content-type': 'application/json' },
  body: JSON.stringify({ engaged: false, scope: 'global', reason: 'benchmark over' }),
});
await strategy.close();
await oms.close();
await books.close();
await risk.stop();

const result = {
  checkP50Us: +q(lat, 0.5).toFixed(1),
  checkP99Us: +q(lat, 0.99).toFixed(1),
  checksPerSecPipelined: Math.round(pipelined),
  ordersPerSecThroughDaemon: Math.round(throughput),
  killSwitchToFirstDenialMs: +(firstDenied - returned).toFixed(3),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log('risk benchmark (real Redis, real processes)');
  console.log(`  in-process check, one at a time (Lua in Redis)  p50 ${result.checkP50Us} µs  p99 ${result.checkP99Us} µs`);
  console.log(`  in-process checks, ${C} in flight                ${result.checksPerSecPipelined.toLocaleString('en-US')} checks/s`);
  console.log(`  orders through the risk daemon                  ${result.ordersPerSecThroughDaemon.toLocaleString('en-US')} orders/s (${M} orders, strategy DEALER -> risk -> OMS ROUTER)`);
  console.log(`  kill-switch: HTTP call returned -> first denial  ${result.killSwitchToFirstDenialMs} ms`);
}
process.exit(0);
