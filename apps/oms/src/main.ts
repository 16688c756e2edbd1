#!/usr/bin/env node
// oms daemon: ledger first, then the venue; the ledger is the system of record.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hideBin } from 'yargs/helpers';
import { verifierFor } from '@hft/auth';
import { runDaemon } from '@hft/daemon';
import { CONTROL_PREFIX, decodeMessage, encodeMessage, EXEC_PREFIX, EXECUTION_REPORT_TYPES } from '@hft/messages';
import { FrameGuard, GapMonitor, RouterServer, Subscriber } from '@hft/transport';
import { parseArgs } from './cli.js';
import { registerOmsApi } from './http-api.js';
import { Ledger } from './ledger.js';
import { migrate } from './migrate.js';
import { omsMetrics } from './oms-metrics.js';
import { OmsCore } from './oms-core.js';
import { OpenOrderCache } from './open-order-cache.js';
import { VenueLink } from './venue-link.js';

const args = parseArgs(hideBin(process.argv));
const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

await runDaemon({
  name: 'oms',
  ...(args.config ? { configPath: args.config } : {}),
  httpPort: (cfg) => args.httpPort ?? cfg.oms.http_port,
  start: async ({ cfg, log, health, http, onShutdown, requestShutdown }) => {
    const o = cfg.oms;
    const m = omsMetrics();
    const gaps = new GapMonitor(['exec_reports']);
    const ledger = new Ledger(cfg.services.database_url, { poolSize: o.pool_size, synchronousCommit: o.synchronous_commit });
    const applied = await migrate(ledger.pool, MIGRATIONS);
    log.info({ applied }, applied.length ? 'ledger migrations applied' : 'ledger schema up to date');
    if (args.migrateOnly) {
      await ledger.close();
      requestShutdown('migrations done');
      return;
    }
    const cache = new OpenOrderCache(cfg.services.redis_url, o.redis_prefix);
    await cache.connect();
    const venueGuard = new FrameGuard('venue', log);
    const venue = new VenueLink(cfg.endpoints.venue.connect, `oms-${process.pid}`, (body) => venueGuard.accept(decodeMessage(body, ['OrderStatusReported'])));
    const risk = new RouterServer({ stream: 'approved', endpoint: cfg.endpoints.approved.bind });
    const core = new OmsCore(
      ledger,
      {
        toVenue: (msg) => venue.send(msg),
        toRisk: (peer, msg) => risk.send(peer, encodeMessage(msg)),
        queryVenue: (ord) => venue.query(ord),
        mirror: (ord) => cache.update(ord),
      },
      m,
      log,
      { batchMax: o.batch_max, bufferMax: o.buffer_max, retryInitialMs: o.retry_initial_ms, retryMaxMs: o.retry_max_ms },
    );
    const recovered = await core.recover();
    await cache.resync(core.open.all());
    log.info({ openOrders: recovered }, 'open orders rebuilt from the ledger');

    health.register('ledger', () => (core.ledgerFailing ? { status: 'degraded', detail: `Postgres writes failing; ${core.depths().orders} orders and ${core.depths().events} events held for retry` } : { status: 'ok' }));
    health.register('cache', () => (cache.redis.status === 'ready' ? { status: 'ok' } : { status: 'degraded', detail: 'Redis open-order cache unreachable' }));

    const riskGuard = new FrameGuard('approved', log);
    await risk.start((peer, body) => {
      const msg = riskGuard.json(body, ['OrderApproved', 'CancelOrder', 'CancelAllOrders']);
      if (!msg) return;
      if (msg.type === 'OrderApproved') core.onApproved(msg, peer);
      else if (msg.type === 'CancelOrder') core.onCancel(msg, peer);
      else core.onCancelAll(msg);
    });

    let reconcileSoon = false;
    const reportGuard = new FrameGuard('exec_reports', log);
    const reports = new Subscriber({ stream: 'exec_reports', endpoint: cfg.endpoints.exec_reports.connect, topics: [EXEC_PREFIX] });
    reports.start((topic, [body]) => {
      const r = reportGuard.json(body!, EXECUTION_REPORT_TYPES);
      if (!r) return;
      if (r.seq !== undefined && gaps.see('exec_reports', topic, r.seq) > 0) {
        // Reports were lost: ask the venue rather than wait for the next cycle.
        reconcileSoon = true;
      }
      core.onReport(r);
    });
    const controlGuard = new FrameGuard('control', log);
    const control = new Subscriber({ stream: 'control', endpoint: cfg.endpoints.control.connect, topics: [CONTROL_PREFIX] });
    control.start((_t, [body]) => {
      const k = controlGuard.json(body!, ['KillSwitchChanged']);
      if (k) core.onKillSwitchChanged(k);
    });

    registerOmsApi(http, ledger, verifierFor(cfg.security));

    let reconciling = false;
    const runReconcile = async (why: string): Promise<void> => {
      if (reconciling) return;
      reconciling = true;
      try {
        const r = await core.reconcile();
        m.reconcileRuns.inc({ why });
        if (r.fixed) log.warn({ ...r, why }, 'reconciliation with the venue corrected the ledger');
      } finally {
        reconciling = false;
      }
    };
    // First reconciliation right away: orders the last run left open may have moved at the venue.
    void runReconcile('startup');
    const timer = setInterval(() => void runReconcile('periodic'), o.reconcile_interval_ms);
    const fast = setInterval(() => {
      if (reconcileSoon) {
        reconcileSoon = false;
        void runReconcile('sequence gap');
      }
    }, 200);
    onShutdown(async () => {
      clearInterval(timer);
      clearInterval(fast);
      await risk.close();
      await reports.close();
      await control.close();
      await core.drain();
      core.close();
      await venue.close();
      await cache.close();
      await ledger.close();
    });
  },
});
