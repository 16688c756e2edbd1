// Strategy benchmark: per-event processing cost (features + every hosted strategy) with all three
// built-in strategies enabled, on the sample data replayed by a real market-data process.
// Run: npx nx run strategy:bench   (market-data must be built: npx nx run market-data:build)

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { decodeBookSnapshot, decodeTickFrame, envelope, topics, type OrderEvent, type VenueReport } from '@hft/messages';
import { OrderManager } from '@hft/orders';
import { initMetrics } from '@hft/metrics';
import { createStrategy, StrategyHost } from '@hft/strategies';
import { Subscriber } from '@hft/transport';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const speed = process.argv.includes('--speed') ? process.argv[process.argv.indexOf('--speed') + 1]! : '50';
const cfg = loadConfig({ env: {} });
initMetrics('strategy-bench');
const log = createLogger({ daemon: 'bench', destination: new PassThrough(), level: 'warn' });
let orders = 0;
// The OMS's order manager in process, with a venue that accepts every order (IOCs then expire) and
// confirms every cancel; its events are delivered after the measured call, as the stream would.
const instruments = InstrumentRegistry.fromConfig(cfg);
const manager = new OrderManager({ instruments });
const events: OrderEvent[] = [];
const venue = (r: Record<string, unknown>) => events.push(...manager.onVenueReport({ ...envelope(), ...r } as VenueReport).events);
const host = new StrategyHost({
  instruments,
  log,
  send: (cmd) => {
    orders++;
    if (cmd.type === 'SubmitOrder') {
      const out = manager.approve({ ...cmd, type: 'OrderApproved', postOnly: cmd.postOnly ?? false } as never);
      events.push(...out.events);
      for (const v of out.venue) {
        if (v.type !== 'VenueSubmitOrder') continue;
        const base = { strategyId: v.strategyId, clientOrderId: v.clientOrderId, symbol: v.symbol, orderId: v.orderId };
        venue({ type: 'OrderAccepted', ...base, side: v.side, price: v.price, quantity: v.quantity, tsTick: null });
        if (v.timeInForce === 'ioc') venue({ type: 'OrderExpired', ...base, expiredQty: v.quantity, cumQty: 0 });
      }
    } else if (cmd.type === 'CancelOrder') {
      const out = manager.cancel({ ...cmd, type: 'CancelOrder', reason: cmd.reason ?? 'strategy' } as never);
      events.push(...out.events);
      for (const v of out.venue) venue({ type: 'OrderCanceled', strategyId: v.strategyId, clientOrderId: v.clientOrderId, symbol: v.symbol, orderId: v.orderId, canceledQty: 0, cumQty: 0, reason: 'strategy' });
    }
    return true;
  },
});
const deliver = (): void => {
  for (const e of events.splice(0)) host.onOrderEvent(e);
};
for (const id of cfg.strategy.enabled) host.add(id, await createStrategy(id, cfg.strategy.params[id]!, workspaceRoot()));

const [ticksPort, booksPort, httpPort] = [await freePort(), await freePort(), await freePort()];
const ticksEp = `tcp://127.0.0.1:${ticksPort}`;
const booksEp = `tcp://127.0.0.1:${booksPort}`;
const tickCost: number[] = [];
const bookCost: number[] = [];
const decodeCost: number[] = [];
const ticks = new Subscriber({ stream: 'ticks', endpoint: ticksEp, topics: host.symbols().map(topics.tick), consumer: 'bench' });
ticks.start((_t, [body]) => {
  const f = decodeTickFrame(body!);
  if (!f.ok) return;
  for (const t of f.value.ticks) {
    const t0 = performance.now();
    host.onTick(t, f.value.tsPublish);
    tickCost.push(performance.now() - t0);
    deliver();
  }
});
const books = new Subscriber({ stream: 'books', endpoint: booksEp, topics: host.symbols().map(topics.book), consumer: 'bench' });
books.start((_t, [body]) => {
  const t0 = performance.now();
  const b = decodeBookSnapshot(body!);
  if (!b.ok) return;
  const t1 = performance.now();
  host.onBook(b.value);
  bookCost.push(performance.now() - t1);
  decodeCost.push(t1 - t0);
  deliver();
});

const md = spawn(process.execPath, [join(workspaceRoot(), 'apps/market-data/dist/src/main.js'), '--speed', speed, '--wait-for', 'bench', '--no-progress', '--json'], {
  env: { ...process.env, HFT__ENDPOINTS__TICKS__BIND: ticksEp, HFT__ENDPOINTS__BOOKS__BIND: booksEp, HFT__ENDPOINTS__ANALYTICS__BIND: 'tcp://127.0.0.1:*', HFT__MARKET_DATA__HTTP_PORT: String(httpPort), LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let out = '';
md.stdout.on('data', (b: Buffer) => (out += b.toString()));
const code = await new Promise<number | null>((r) => md.on('exit', r));
await new Promise((r) => setTimeout(r, 300));
await ticks.close();
await books.close();
if (code !== 0) throw new Error(`market-data exited with ${code}`);

const q = (xs: number[], f: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))]! * 1000;
};
const result = {
  strategies: host.strategyIds(),
  ticks: tickCost.length,
  books: bookCost.length,
  tickP50Us: +q(tickCost, 0.5).toFixed(2),
  tickP99Us: +q(tickCost, 0.99).toFixed(2),
  bookP50Us: +q(bookCost, 0.5).toFixed(2),
  bookP99Us: +q(bookCost, 0.99).toFixed(2),
  bookDecodeP50Us: +q(decodeCost, 0.5).toFixed(2),
  orders,
  replay: JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as unknown,
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`strategy benchmark: ${result.strategies.join(', ')} on the sample data at ${speed}x (real market-data process)`);
  console.log(`  per tick (features + strategies)            p50 ${result.tickP50Us} µs   p99 ${result.tickP99Us} µs   (${result.ticks} ticks)`);
  console.log(`  per book snapshot (features + strategies)   p50 ${result.bookP50Us} µs   p99 ${result.bookP99Us} µs   (${result.books} snapshots; decoding one: p50 ${result.bookDecodeP50Us} µs)`);
  console.log(`  orders sent: ${result.orders}`);
}
process.exit(0);
