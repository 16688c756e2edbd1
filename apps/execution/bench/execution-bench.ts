// Execution benchmark: matching cost per order in process (native engine + report building), and
// orders/s matched through the daemon (real process: OMS DEALER -> venue ROUTER -> reports back).
// Run: npx nx run execution:bench

import { InstrumentRegistry, loadConfig } from '@hft/config';
import { createLogger } from '@hft/logging';
import { encodeBookSnapshot, envelope, nowNs, topics, type BookSnapshot, type VenueSubmitOrder } from '@hft/messages';
import { initMetrics } from '@hft/metrics';
import { platformEnv, startDaemon } from '@hft/testing';
import { CommandClient, Publisher } from '@hft/transport';
import { Venue } from '@hft/venue';

initMetrics('execution-bench');
const cfg = loadConfig({ env: {} });
const N = 50_000;

function snapshot(mid: number): BookSnapshot {
  const lv = (p: number, q: number) => ({ price: p / 100, qty: q, priceUnits: p, qtyUnits: q });
  return { symbol: 'AAPL', seq: 1, tsEvent: 1n, tsPublish: 1n, priceExponent: -2, qtyExponent: 0, bids: Array.from({ length: 10 }, (_, i) => lv(mid - 1 - i, 200 + i * 10)), asks: Array.from({ length: 10 }, (_, i) => lv(mid + 1 + i, 200 + i * 10)) };
}

function flow(i: number, mid: number): VenueSubmitOrder {
  const aggressive = i % 5 === 0;
  const side = i % 2 ? 'buy' : 'sell';
  const off = aggressive ? 2 : 1 + (i % 8);
  const px = side === 'buy' ? mid + (aggressive ? off : -off) : mid - (aggressive ? off : -off);
  return { type: 'VenueSubmitOrder', ...envelope(), strategyId: `s${i % 3}`, clientOrderId: `c${i}`, symbol: 'AAPL', side, orderType: 'limit', timeInForce: aggressive ? 'ioc' : 'gtc', postOnly: false, price: px / 100, quantity: 10 + (i % 50), tsTick: null, orderId: i + 1 } as VenueSubmitOrder;
}

// 1. In process.
let reports = 0;
const venue = new Venue(InstrumentRegistry.fromConfig(cfg).all(), { stp: 'cancel-aggressor', fees: () => ({ maker_bps: 0, taker_bps: 0 }), history: 100_000, depth: 10, run: 'B' }, () => reports++);
let mid = 18_740;
venue.onBook(snapshot(mid));
const t0 = performance.now();
for (let i = 0; i < N; i++) {
  if (i % 50 === 0) venue.onBook(snapshot((mid += i % 100 === 0 ? 1 : -1)));
  venue.submit(flow(i, mid));
}
const inProcessUs = ((performance.now() - t0) * 1000) / N;
const nativeUs = (venue.stats.matchingSeconds * 1e6) / (N + N / 50);

// 2. Through the daemon, no venue latency.
const p = await platformEnv({ HFT__EXECUTION__LATENCY_MODEL: '"fixed"', HFT__EXECUTION__LATENCY_MIN_US: '0', HFT__EXECUTION__LATENCY_MAX_US: '0', LOG_LEVEL: 'error' });
const books = new Publisher({ stream: 'books', endpoint: p.endpoint.books, linger: 0 });
await books.bind();
const d = startDaemon('execution', [], p.env);
await d.ready(p.http.execution);
const done = new Set<number>();
// Each order ends its first answer with an ack or a reject.
const oms = new CommandClient('venue', { endpoint: p.endpoint.venue, log: createLogger({ daemon: 'bench', level: 'silent' }), identity: 'oms' }).start((m) => {
  if (m.type === 'OrderAccepted' || m.type === 'OrderRejected') done.add(m.orderId);
});
await books.waitForSubscribers(topics.book('AAPL'), 1, 10_000);
books.publish(topics.book('AAPL'), encodeBookSnapshot({ symbol: 'AAPL', seq: 1, tsEvent: nowNs(), tsPublish: nowNs(), priceExponent: -2, qtyExponent: 0, bids: snapshot(18_740).bids.flatMap((l) => [l.priceUnits, l.qtyUnits]), bidLevels: 10, asks: snapshot(18_740).asks.flatMap((l) => [l.priceUnits, l.qtyUnits]), askLevels: 10 }));
await new Promise((r) => setTimeout(r, 300));
const orders = Array.from({ length: N }, (_, i) => flow(i, 18_740));
const t1 = performance.now();
for (const o of orders) oms.send(o);
while (done.size < N) await new Promise((r) => setTimeout(r, 5));
const throughput = N / ((performance.now() - t1) / 1000);
await oms.close();
await books.close();
await d.stop();

const result = { orders: N, inProcessUsPerOrder: +inProcessUs.toFixed(2), nativeMatchingUsPerCall: +nativeUs.toFixed(2), ordersPerSecThroughDaemon: Math.round(throughput), reportsPerOrderInProcess: +(reports / N).toFixed(2) };
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`execution benchmark (${N.toLocaleString('en-US')} orders: 80% passive GTC, 20% marketable IOC, 3 strategies, book refreshed every 50 orders)`);
  console.log(`  in process, per order (native matching + reports)  ${result.inProcessUsPerOrder} µs   (native engine alone ${result.nativeMatchingUsPerCall} µs per call)`);
  console.log(`  through the daemon, no venue latency               ${result.ordersPerSecThroughDaemon.toLocaleString('en-US')} orders/s (OMS DEALER -> execution -> reports back)`);
}
process.exit(0);
