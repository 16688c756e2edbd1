#!/usr/bin/env node
// monitoring daemon: every stream in, dashboard/REST/SSE out.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hideBin } from 'yargs/helpers';
import yargs from 'yargs';
import { verifierFor, ServiceToken } from '@hft/auth';
import { fromRoot, InstrumentRegistry } from '@hft/config';
import { runDaemon } from '@hft/daemon';
import { BOOK_PREFIX, CONTROL_PREFIX, decodeBookSnapshot, decodeMessage, decodeTickFrame, EXEC_PREFIX, EXECUTION_REPORT_TYPES, TICK_PREFIX, TickKind, type LedgerTrade } from '@hft/messages';
import { FrameGuard, GapMonitor, Subscriber } from '@hft/transport';
import { registerMonitoringApi } from './http-api.js';
import { LatencyView, RateMeter } from './latency-view.js';
import { candleView, MarketView, tickView } from './market-view.js';
import { PortfolioView } from './portfolio-view.js';
import { SseHub } from './sse-hub.js';

const args = yargs(hideBin(process.argv))
  .scriptName('hft-monitoring')
  .usage('$0 [options]\n\nDashboard (/dashboard), REST and SSE over every stream of the platform.')
  .option('config', { type: 'string' })
  .option('http-port', { type: 'number', describe: 'default [monitoring].http_port' })
  .strict()
  .help()
  .version(false)
  .parseSync();

const DASHBOARD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dashboard');

await runDaemon({
  name: 'monitoring',
  ...(args.config ? { configPath: args.config } : {}),
  httpPort: (cfg) => args.httpPort ?? cfg.monitoring.http_port,
  start: async ({ cfg, log, http, health, onShutdown }) => {
    const m = cfg.monitoring;
    const gaps = new GapMonitor(['ticks', 'exec_reports']);
    const market = new MarketView(m.recent_ticks);
    const portfolio = new PortfolioView();
    const latency = new LatencyView();
    const rates = { ticks: new RateMeter(), orders: new RateMeter(), fills: new RateMeter() };
    const sse = new SseHub();
    const service =
      m.service_user && m.service_password_file
        ? new ServiceToken(m.security_url, m.service_user, fromRoot(m.service_password_file), log)
        : null;
    service?.start();
    // Positions are the ledger's, not only what this process heard: after a restart (or a new run
    // on the same ledger) read every fill back, holding the stream's fills until that is done.
    let seedState: { status: 'ok' | 'degraded'; detail?: string } = { status: 'ok', detail: 'reading fills from the ledger' };
    health.register('ledger_seed', () => seedState);
    const TRADES_PAGE = 5000;
    const seedFromLedger = async (): Promise<void> => {
      let fills: LedgerTrade[] = [];
      try {
        const token = await service!.ready(10_000);
        if (!token) throw new Error('no service token from the security daemon');
        const res = await fetch(`${m.oms_url}/api/trades?limit=${TRADES_PAGE}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
        if (!res.ok) throw new Error(`GET ${m.oms_url}/api/trades: HTTP ${res.status} ${await res.text()}`);
        fills = (await res.json()) as LedgerTrade[];
        if (fills.length === TRADES_PAGE) log.error(`the ledger has more than ${TRADES_PAGE} fills: positions start from the newest ${TRADES_PAGE} only`);
        seedState = { status: 'ok', detail: `${fills.length} fills read from the ledger` };
      } catch (e) {
        seedState = { status: 'degraded', detail: `positions count only fills heard since start: ${(e as Error).message}` };
        log.warn({ err: (e as Error).message }, 'could not read fills from the ledger');
      }
      const { applied, events } = portfolio.seed(fills);
      for (const e of events) sse.publish('orders', 'order', e, e.symbol);
      log.info({ applied }, 'positions seeded from the ledger');
    };
    if (service) {
      portfolio.beginSeed();
      void seedFromLedger();
    } else seedState = { status: 'ok', detail: 'no service account: positions from fills heard since start' };
    registerMonitoringApi(http, { cfg, registry: InstrumentRegistry.fromConfig(cfg), verifier: verifierFor(cfg.security), market, portfolio, latency, rates, sse, service, log, dashboardDir: DASHBOARD });

    const mdGuard = new FrameGuard('market_data', log);
    const ticks = new Subscriber({ stream: 'ticks', endpoint: cfg.endpoints.ticks.connect, topics: [TICK_PREFIX] });
    ticks.start((_t, [body]) => {
      const f = mdGuard.accept(decodeTickFrame(body!));
      if (!f) return;
      rates.ticks.mark(f.ticks.length);
      for (const t of f.ticks) {
        gaps.see('ticks', t.symbol, t.seq);
        const closed = market.onTick(t);
        if (t.kind === TickKind.Trade) sse.publish('ticks', 'tick', tickView(t), t.symbol);
        if (closed) sse.publish('candles', 'candle', candleView(closed), t.symbol);
      }
    });
    const books = new Subscriber({ stream: 'books', endpoint: cfg.endpoints.books.connect, topics: [BOOK_PREFIX] });
    books.start((_t, [body]) => {
      const b = mdGuard.accept(decodeBookSnapshot(body!));
      if (b) market.onBook(b);
    });
    const reportGuard = new FrameGuard('exec_reports', log);
    const reports = new Subscriber({ stream: 'exec_reports', endpoint: cfg.endpoints.exec_reports.connect, topics: [EXEC_PREFIX] });
    reports.start((topic, [body]) => {
      const r = reportGuard.json(body!, EXECUTION_REPORT_TYPES);
      if (!r) return;
      if (r.seq !== undefined) gaps.see('exec_reports', topic, r.seq);
      if (r.type === 'OrderAccepted') {
        rates.orders.mark();
        if (r.tsTick !== null) latency.add(Number(r.tsEvent - r.tsTick) / 1e9);
      }
      if (r.type === 'OrderFilled') rates.fills.mark();
      const e = portfolio.onReport(r);
      if (e) sse.publish('orders', 'order', e, r.symbol);
    });
    const controlGuard = new FrameGuard('control', log);
    const control = new Subscriber({ stream: 'control', endpoint: cfg.endpoints.control.connect, topics: [CONTROL_PREFIX] });
    control.start((_t, [body]) => {
      const c = controlGuard.accept(decodeMessage(body!, ['KillSwitchChanged', 'LimitsChanged']));
      if (c) sse.publish('dashboard', 'control', c);
    });

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
      await reports.close();
      await control.close();
    });
  },
});
