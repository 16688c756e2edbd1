#!/usr/bin/env node
// monitoring daemon: every stream in, dashboard/REST/SSE out.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceToken, verifierFor } from '@hft/auth';
import { fromRoot, InstrumentRegistry } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { BOOK_PREFIX, CONTROL_PREFIX, TICK_PREFIX, TickKind } from '@hft/messages';
import { OmsReader, OrderEventFeed } from '@hft/order-stream';
import { StreamLink } from '@hft/transport';
import { registerMonitoringApi } from './http-api.js';
import { LatencyView, RateMeter } from './latency-view.js';
import { candleView, MarketView, tickView } from './market-view.js';
import { PortfolioView } from './portfolio-view.js';
import { SseHub } from './sse-hub.js';

const args = daemonArgs('monitoring', 'Dashboard (/dashboard), REST and SSE over every stream of the platform.');
const DASHBOARD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dashboard');

await runDaemon({
  name: 'monitoring',
  ...(args.config ? { configPath: args.config } : {}),
  httpPort: (cfg) => args.httpPort ?? cfg.monitoring.http_port,
  start: async ({ cfg, log, http, health, onShutdown }) => {
    const m = cfg.monitoring;
    const registry = InstrumentRegistry.fromConfig(cfg);
    const market = new MarketView(m.recent_ticks);
    const portfolio = new PortfolioView(registry);
    const latency = new LatencyView();
    const rates = { ticks: new RateMeter(), orders: new RateMeter(), fills: new RateMeter() };
    const sse = new SseHub();
    const service = m.service_user && m.service_password_file ? new ServiceToken(m.security_url, m.service_user, fromRoot(m.service_password_file), log) : null;
    service?.start();
    registerMonitoringApi(http, { cfg, registry, verifier: verifierFor(cfg.security), market, portfolio, latency, rates, sse, service, log, dashboardDir: DASHBOARD });

    // Positions are the ledger's: each strategy starts from the OMS's state, then follows the stream.
    const reader = new OmsReader(m.oms_url, () => service?.ready(10_000) ?? Promise.resolve(null));
    const feed = new OrderEventFeed({
      endpoint: cfg.endpoints.order_events.connect,
      strategies: 'all',
      source: reader,
      log,
      startOf: async (s) => {
        if (!service) return 0;
        const [state] = await reader.state(s);
        if (state) portfolio.adopt(state);
        return state?.seq ?? 0;
      },
      onEvent: (e) => {
        if (e.type === 'OrderAccepted') {
          rates.orders.mark();
          if (e.tsTick !== null) latency.add(Number(e.tsEvent - e.tsTick) / 1e9);
        }
        if (e.type === 'OrderFilled') rates.fills.mark();
        sse.publish('orders', 'order', portfolio.onEvent(e), e.symbol);
      },
    });
    if (!service) log.warn('no monitoring.service_user: positions count only the order events heard since start');
    void feed.start(new Map());
    health.register('order_stream', () => {
      const behind = feed.behind();
      return behind.length ? { status: 'degraded', detail: behind.map((b) => `${b.strategy}: ${b.detail}`).join('; ') } : { status: 'ok' };
    });

    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: [TICK_PREFIX], log }).start((f) => {
      rates.ticks.mark(f.ticks.length);
      for (const t of f.ticks) {
        const closed = market.onTick(t);
        if (t.kind === TickKind.Trade) sse.publish('ticks', 'tick', tickView(t), t.symbol);
        if (closed) sse.publish('candles', 'candle', candleView(closed), t.symbol);
      }
    });
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: [BOOK_PREFIX], log }).start((b) => market.onBook(b));
    const control = new StreamLink('control', { endpoint: cfg.endpoints.control.connect, topics: [CONTROL_PREFIX], log }).start((c) => sse.publish('dashboard', 'control', c));

    // The dashboard's heartbeat: one summary a second (figures, positions, books at a glance).
    const summary = setInterval(() => {
      if (sse.count('dashboard') === 0) return;
      sse.publish('dashboard', 'summary', {
        at: Date.now(),
        ticksPerSec: rates.ticks.rate(),
        ordersPerSec: rates.orders.rate(),
        fillsPerSec: rates.fills.rate(),
        ticks: market.ticks,
        tickToTrade: latency.percentiles(),
        counts: portfolio.counts,
        positions: portfolio.view((s) => market.mid(s)),
        market: market.symbols().map((s) => market.snapshot(s)),
      });
    }, 1000);
    onShutdown(async () => {
      clearInterval(summary);
      service?.stop();
      sse.close();
      await ticks.close();
      await books.close();
      await control.close();
      await feed.close();
    });
  },
});
