#!/usr/bin/env node
// monitoring daemon: every stream in, dashboard/REST/SSE out.
import { loadInstruments, storePool } from '@hft/market-store';
import type pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceToken, verifierFor } from '@hft/auth';
import { fromRoot } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { CHAIN_PREFIX, CONDITIONAL_PREFIX, CONTROL_PREFIX, offPathBookPrefix, tradesOnlyTickPrefix, TickKind, type OrderEvent, type StrategyState } from '@hft/messages';
import { followOrderEvents } from '@hft/order-stream';
import { StreamLink } from '@hft/transport';
import { registerMonitoringApi } from './http-api.js';
import { LatencyView, RateMeter } from './latency-view.js';
import { WaterfallView } from './waterfall-view.js';
import { candleView, MarketView, tickView } from './market-view.js';
import { OptionsView } from './options-view.js';
import { PortfolioView } from './portfolio-view.js';
import { SseHub } from './sse-hub.js';
import { SweepFeed } from './sweep-feed.js';

const args = daemonArgs('monitoring', 'Dashboard (/dashboard), REST and SSE over every stream of the platform.');
const DASHBOARD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dashboard');

await runDaemon({
  name: 'monitoring',
  args,
  start: async ({ cfg, log, http, health, onShutdown }) => {
    const m = cfg.monitoring;
    const registry = await loadInstruments(cfg, log);
    const market = new MarketView(m.recent_ticks);
    const options = new OptionsView(registry);
    const portfolio = new PortfolioView(registry);
    const latency = new LatencyView();
    const waterfall = new WaterfallView();
    const rates = { ticks: new RateMeter(), orders: new RateMeter(), fills: new RateMeter() };
    const sse = new SseHub();
    const service = ServiceToken.of(m, fromRoot, log);
    let pool: pg.Pool | null = null;
    const store = (): pg.Pool => (pool ??= storePool(cfg.services.database_url, 2));
    onShutdown(async () => {
      await pool?.end();
    });
    registerMonitoringApi(http, { store, cfg, registry, verifier: verifierFor(cfg.security), market, options, portfolio, latency, waterfall, rates, sse, service, log, dashboardDir: DASHBOARD });

    // Positions are the ledger's: each strategy starts from the OMS's state, then follows the stream.
    const onEvent = (e: OrderEvent): void => {
      if (e.type === 'OrderAccepted') {
        rates.orders.mark();
        if (e.tsTick !== null) latency.add(Number(e.tsEvent - e.tsTick) / 1e9);
        if (e.stamps) waterfall.add(e.stamps);
      }
      if (e.type === 'OrderFilled') rates.fills.mark();
      sse.publish('orders', 'order', portfolio.onEvent(e), e.symbol);
    };
    const adopt = service ? { adopt: (st: StrategyState) => portfolio.adopt(st) } : {};
    const { feed } = followOrderEvents({ endpoint: cfg.endpoints.order_events.connect, omsUrl: m.oms_url, token: async () => (await service?.bearer()) ?? null, strategies: 'all', log, onEvent, ...adopt });
    if (!service) log.warn('no monitoring.service_user: positions count only the order events heard since start');
    void feed.start(new Map());
    health.register('order_stream', () => {
      const behind = feed.behind();
      return behind.length ? { status: 'degraded', detail: behind.map((b) => `${b.strategy}: ${b.detail}`).join('; ') } : { status: 'ok' };
    });

    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: [tradesOnlyTickPrefix(cfg.market_data.trade_topic)], log, consumer: 'monitoring' }).start((f) => {
      const before = market.ticks;
      for (const t of f.ticks) {
        const closed = market.onTick(t);
        if (t.kind === TickKind.Trade) sse.publish('ticks', 'tick', tickView(t), t.symbol);
        if (closed) sse.publish('candles', 'candle', { ...candleView(closed), ...options.candleExtras(t.symbol) }, t.symbol);
      }
      rates.ticks.mark(market.ticks - before);
    });
    // The dashboard shows a few books a second: the sampled topic, off the order path's CPU.
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: [offPathBookPrefix(cfg.market_data.sampled_book_ms)], log, consumer: 'monitoring' }).start((b) => market.onBook(b));
    const chains = new StreamLink('analytics', { endpoint: cfg.endpoints.analytics.connect, topics: [CHAIN_PREFIX], log }).start((s) => {
      for (const g of options.onSnapshot(s)) sse.publish('greeks', 'greeks', g, g.symbol);
      sse.publish('dashboard', 'chain', s);
    });
    // Conditional orders (GTT, stops, brackets): every state change to the orders stream, and the latest of each for the dashboard.
    const conditional = new StreamLink('order_events', { endpoint: cfg.endpoints.order_events.connect, topics: [CONDITIONAL_PREFIX], log }).start((e) => {
      if ('conditionalId' in e) sse.publish('orders', 'conditional', e, e.symbol);
    });
    const control = new StreamLink('control', { endpoint: cfg.endpoints.control.connect, topics: [CONTROL_PREFIX], log }).start((c) => sse.publish('dashboard', 'control', c));

    const sweepFeed = new SweepFeed(cfg.services.database_url, store, sse, log);
    sweepFeed.start();

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
        waterfall: waterfall.stages(),
        counts: portfolio.counts,
        positions: portfolio.view((s) => market.mid(s)),
        // Contracts have their own panel (the chain event): the market table shows the other instruments.
        market: market.symbols().filter((s) => !registry.find(s)?.option).map((s) => market.snapshot(s)),
      });
    }, 1000);
    onShutdown(async () => {
      clearInterval(summary);
      service?.stop();
      sse.close();
      await ticks.close();
      await books.close();
      await chains.close();
      await control.close();
      await conditional.close();
      await feed.close();
      await sweepFeed.close();
    });
  },
});
