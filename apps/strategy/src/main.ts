#!/usr/bin/env node
// strategy daemon: strategies on live ticks and books; orders to risk; execution reports back.
import { hideBin } from 'yargs/helpers';
import { ServiceToken } from '@hft/auth';
import { fromRoot, InstrumentRegistry, workspaceRoot } from '@hft/config';
import { runDaemon } from '@hft/daemon';
import {
  decodeBookSnapshot,
  decodeTickFrame,
  encodeMessage,
  EXECUTION_REPORT_TYPES,
  topics,
} from '@hft/messages';
import { createStrategy, StrategyHost } from '@hft/strategies';
import { DealerClient, FrameGuard, GapMonitor, Subscriber } from '@hft/transport';
import { parseArgs } from './cli.js';
import { restoreState } from './restore-state.js';

const args = parseArgs(hideBin(process.argv));

await runDaemon({
  name: 'strategy',
  ...(args.config ? { configPath: args.config } : {}),
  httpPort: (cfg) => args.httpPort ?? cfg.strategy.http_port,
  start: async ({ cfg, log, health, http, onShutdown }) => {
    const gaps = new GapMonitor(['ticks', 'books', 'exec_reports']);
    const ids = args.strategies ? args.strategies.split(',').map((s) => s.trim()).filter(Boolean) : cfg.strategy.enabled;
    const risk = new DealerClient({ stream: 'orders', endpoint: cfg.endpoints.orders.connect, identity: args.identity ?? `strategy-${process.pid}` });
    const host = new StrategyHost({
      instruments: InstrumentRegistry.fromConfig(cfg),
      log,
      send: (cmd) => risk.trySend(encodeMessage(cmd)),
    });
    for (const id of ids) {
      const params = cfg.strategy.params[id];
      if (!params) throw new Error(`strategy ${id} has no [strategy.params.${id}] section`);
      host.add(id, await createStrategy(id, params, workspaceRoot()));
    }
    log.info({ strategies: ids, symbols: host.symbols() }, 'strategies loaded');

    // Resume from the truth before the first tick: positions from risk, working orders from the ledger.
    const sc = cfg.strategy;
    let restored: { status: 'ok' | 'degraded'; detail?: string } = { status: 'ok' };
    if (sc.service_user && sc.service_password_file) {
      const token = new ServiceToken(sc.security_url, sc.service_user, fromRoot(sc.service_password_file), log);
      token.start();
      onShutdown(async () => token.stop());
      for (let attempt = 1; ; attempt++) {
        try {
          await restoreState(host, ids, { risk: sc.risk_url, oms: sc.oms_url }, token, log);
          break;
        } catch (e) {
          if (attempt >= 15) {
            restored = { status: 'degraded', detail: `started without the previous run's positions and orders: ${(e as Error).message}` };
            log.error({ err: (e as Error).message }, restored.detail!);
            break;
          }
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    } else log.warn('no strategy.service_user: positions start flat and orders of a previous run are not resumed');
    health.register('restored_state', () => restored);

    const orderGuard = new FrameGuard('orders', log);
    risk.start((body) => {
      const m = orderGuard.json(body, ['OrderDenied', 'OrderRejected', 'OrderCancelRejected', 'OrderCanceled']);
      if (m) host.onReport(m);
    });

    const tickGuard = new FrameGuard('ticks', log);
    const ticks = new Subscriber({ stream: 'ticks', endpoint: cfg.endpoints.ticks.connect, topics: host.symbols().map(topics.tick) });
    ticks.start((_topic, [body]) => {
      const f = tickGuard.accept(decodeTickFrame(body!));
      if (!f) return;
      for (const t of f.ticks) {
        gaps.see('ticks', t.symbol, t.seq);
        host.onTick(t, f.tsPublish);
      }
    });
    const bookGuard = new FrameGuard('books', log);
    const books = new Subscriber({ stream: 'books', endpoint: cfg.endpoints.books.connect, topics: host.symbols().map(topics.book) });
    books.start((_topic, [body]) => {
      const b = bookGuard.accept(decodeBookSnapshot(body!));
      if (!b) return;
      gaps.see('books', b.symbol, b.seq);
      host.onBook(b);
    });
    const reportGuard = new FrameGuard('exec_reports', log);
    const reports = new Subscriber({ stream: 'exec_reports', endpoint: cfg.endpoints.exec_reports.connect, topics: ids.map(topics.execReports) });
    reports.start((topic, [body]) => {
      const r = reportGuard.json(body!, EXECUTION_REPORT_TYPES);
      if (!r) return;
      if (r.seq !== undefined) gaps.see('exec_reports', topic, r.seq);
      host.onReport(r);
    });

    health.register('risk_queue', () => (risk.queueDepth > 10_000 ? { status: 'degraded', detail: `${risk.queueDepth} commands waiting for risk` } : { status: 'ok' }));
    http.get('/api/strategies', async () => host.status());
    const timer = setInterval(() => host.exportAll(), 1000);
    onShutdown(async () => {
      clearInterval(timer);
      await ticks.close();
      await books.close();
      await reports.close();
      await risk.close();
    });
  },
});
