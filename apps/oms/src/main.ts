#!/usr/bin/env node
// oms daemon: the single writer of order state. Journal first, then the venue and the order-event
// stream; the Postgres ledger follows in batches.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifierFor } from '@hft/auth';
import { fromRoot, InstrumentRegistry } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { CONTROL_PREFIX, nowNs } from '@hft/messages';
import { CommandServer, Publisher, StreamLink } from '@hft/transport';
import { registerOmsApi } from './http-api.js';
import { Ledger } from './ledger.js';
import { migrate } from './migrate.js';
import { omsMetrics } from './oms-metrics.js';
import { openOms } from './oms-setup.js';
import { VenueGateway } from './venue-gateway.js';

const args = daemonArgs('oms', 'Order management: journals approved orders and sends them to the venue, applies execution reports\nthrough the order lifecycle, publishes the sequenced order-event stream, keeps the Postgres ledger.', {
  'migrate-only': { type: 'boolean', default: false, describe: 'apply ledger migrations and exit' },
});
const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'migrations');

await runDaemon({
  name: 'oms',
  args,
  start: async ({ cfg, log, health, http, onShutdown, requestShutdown }) => {
    const o = cfg.oms;
    const m = omsMetrics();
    const instruments = InstrumentRegistry.fromConfig(cfg);
    const ledger = new Ledger(cfg.services.database_url, { poolSize: o.pool_size, synchronousCommit: o.synchronous_commit });
    const applied = await migrate(ledger.pool, MIGRATIONS);
    log.info({ applied }, applied.length ? 'ledger migrations applied' : 'ledger schema up to date');
    if (args['migrate-only']) {
      await ledger.close();
      requestShutdown('migrations done');
      return;
    }

    const stream = new Publisher({ stream: 'order_events', endpoint: cfg.endpoints.order_events.bind, highWaterMark: o.pub_hwm });
    await stream.bind();
    const venue = new VenueGateway(cfg.endpoints.venue.connect, log, (r) => oms.onVenueReport(r));
    const { oms, manager, journal, replayed } = await openOms({ settings: o, journalDir: fromRoot(o.journal_dir), ledger, instruments, stream, links: { toVenue: (c) => venue.send(c), queryVenue: (ord) => venue.query(ord) }, m, log });
    log.info({ openOrders: manager.open.size, replayed, nextOrderId: manager.nextOrderId }, 'order state rebuilt from the ledger and the journal');
    health.register('ledger', () => (oms.ledgerFailing ? { status: 'degraded', detail: `Postgres writes failing; ${oms.backlog} journal records waiting (new orders are denied beyond ${o.buffer_max})` } : { status: 'ok' }));

    const risk = await new CommandServer('approved', { endpoint: cfg.endpoints.approved.bind, log }).start((_peer, msg) => {
      if (msg.type === 'OrderApproved') oms.onApproved(msg, nowNs());
      else if (msg.type === 'CancelOrder') oms.onCancel(msg);
      else oms.onCancelAll(msg);
    });
    const control = new StreamLink('control', { endpoint: cfg.endpoints.control.connect, topics: [CONTROL_PREFIX], log }).start((msg) => {
      if (msg.type === 'KillSwitchChanged') oms.onKillSwitchChanged(msg);
    });
    registerOmsApi(http, ledger, oms, verifierFor(cfg.security));

    const reconcile = (why: 'startup' | 'periodic'): void => {
      void oms.reconcile().then((r) => {
        m.reconcileRuns.inc({ why });
        if (r.fixed) log.warn({ ...r, why }, 'reconciliation with the venue corrected the order state');
      });
    };
    // Orders the last run left open may have moved at the venue while nobody listened.
    reconcile('startup');
    const timers = [setInterval(() => reconcile('periodic'), o.reconcile_interval_ms), setInterval(() => oms.publishHeads(), 1000)];
    onShutdown(async () => {
      for (const t of timers) clearInterval(t);
      await risk.close();
      await control.close();
      await oms.drain();
      oms.close();
      journal.close();
      await venue.close();
      await stream.close();
      await ledger.close();
    });
  },
});
