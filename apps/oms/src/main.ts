#!/usr/bin/env node
// oms daemon: the single writer of order state. Journal first, then the venue and the order-event
// stream; the Postgres ledger follows in batches.
import { loadInstruments } from '@hft/market-store';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifierFor } from '@hft/auth';
import { fromRoot } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { CONTROL_PREFIX, envelope, nowNs, topics } from '@hft/messages';
import { CommandClient, CommandServer, Publisher, StreamLink } from '@hft/transport';
import { registerConditionalApi } from './conditional-api.js';
import { ConditionalLedger } from './conditional-ledger.js';
import { conditionalMetrics } from './conditional-metrics.js';
import { ConditionalService, type Outcome } from './conditional-service.js';
import { registerOmsApi } from './http-api.js';
import { Journal } from './journal.js';
import { Ledger } from './ledger.js';
import { migrate } from '@hft/migrations';
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
    const instruments = await loadInstruments(cfg, log);
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

    // The trigger engine: conditional orders wait on the market data of their symbols, subscribed while they wait.
    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: [], log });
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: [], log });
    const watched = new Set<string>();
    const watch = (symbol: string): void => {
      if (watched.has(symbol)) return;
      watched.add(symbol);
      ticks.subscribe(topics.tick(symbol));
      books.subscribe(topics.book(symbol));
    };
    const toRisk = new CommandClient('orders', { endpoint: cfg.endpoints.orders.connect, log, identity: `oms-${process.pid}` });
    const conditionalLedger = new ConditionalLedger(ledger.pool);
    const cstate = await conditionalLedger.load(o.closed_memory);
    const cjournal = Journal.open(`${fromRoot(o.journal_dir)}-conditional`, cstate.ledgerId, cstate.journalLsn, { segmentBytes: o.journal_segment_mb * 1024 * 1024, fsync: o.journal_fsync, fsyncIntervalMs: o.journal_fsync_interval_ms }, (msg, extra) => log.warn(extra, msg));
    const conditional = new ConditionalService(
      instruments,
      cjournal.journal,
      conditionalLedger,
      stream,
      { toRisk: (msg) => toRisk.send(msg), cancelOrder: (msg) => oms.onCancel(msg), knows: (s, c) => manager.known(s, c) },
      conditionalMetrics(),
      log,
      { batchMax: o.batch_max, lingerMs: o.ledger_linger_ms, retryInitialMs: o.retry_initial_ms, retryMaxMs: o.retry_max_ms, backlogMax: o.buffer_max, resendAfterMs: o.conditional_resend_ms },
      watch,
    );
    const creplayed = conditional.restore(cstate, cjournal.tail);
    oms.onEvents((e) => conditional.onOrderEvent(e));
    toRisk.start((msg) => {
      if (msg.type === 'OrderDenied') conditional.onRiskDenied(msg.clientOrderId, msg.code, msg.reason);
    });
    ticks.start((f) => conditional.onTicks(f));
    books.start((b) => conditional.onBook(b));
    // Replayed order records are in Postgres before the children's ends are read back from it.
    await oms.drain();
    const settled = await conditional.settleReleased();
    log.info({ open: conditional.book.openCount, replayed: creplayed, ...settled, watching: [...watched] }, 'conditional orders rebuilt from the ledger and their journal');

    const risk = await new CommandServer('approved', { endpoint: cfg.endpoints.approved.bind, log }).start((_peer, msg) => {
      if (msg.type === 'OrderApproved') oms.onApproved(msg, nowNs());
      else if (msg.type === 'CancelOrder') oms.onCancel(msg);
      else if (msg.type === 'ReplaceOrder') oms.onReplace(msg);
      else {
        oms.onCancelAll(msg);
        conditional.onCancelAll(msg);
      }
    });
    const control = new StreamLink('control', { endpoint: cfg.endpoints.control.connect, topics: [CONTROL_PREFIX], log }).start((msg) => {
      if (msg.type === 'KillSwitchChanged') {
        oms.onKillSwitchChanged(msg);
        conditional.onKillSwitchChanged(msg);
      }
    });
    const commands = await new CommandServer('conditional', { endpoint: cfg.endpoints.conditional.bind, log }).start((peer, msg, viaReq) => {
      const out: Outcome = msg.type === 'PlaceConditionalOrder' ? conditional.place(msg) : msg.type === 'ModifyConditionalOrder' ? conditional.modify(msg) : conditional.cancel(msg);
      // Success is told on the stream (conditional.<STRATEGY>); a refusal to the sender.
      if (!out.ok) commands.reply(peer, { type: 'ConditionalOrderRefused', ...envelope(msg), strategyId: msg.strategyId, conditionalId: msg.conditionalId, code: out.code, reason: out.reason.slice(0, 500) }, viaReq);
    });
    const verifier = verifierFor(cfg.security);
    registerOmsApi(http, ledger, oms, verifier);
    registerConditionalApi(http, { service: conditional, ledger: conditionalLedger, instruments, verifier, defaultStrategy: o.gtt_strategy });

    const reconcile = (why: 'startup' | 'periodic'): void => {
      void oms.reconcile().then((r) => {
        m.reconcileRuns.inc({ why });
        if (r.fixed) log.warn({ ...r, why }, 'reconciliation with the venue corrected the order state');
      });
    };
    // Orders the last run left open may have moved at the venue while nobody listened.
    reconcile('startup');
    const timers = [setInterval(() => reconcile('periodic'), o.reconcile_interval_ms), setInterval(() => oms.publishHeads(), 1000), setInterval(() => conditional.resendUnseen(), Math.max(100, o.conditional_resend_ms / 2))];
    onShutdown(async () => {
      for (const t of timers) clearInterval(t);
      await risk.close();
      await commands.close();
      await control.close();
      await ticks.close();
      await books.close();
      await oms.drain();
      await conditional.drain();
      oms.close();
      conditional.close();
      journal.close();
      cjournal.journal.close();
      await toRisk.close();
      await venue.close();
      await stream.close();
      await ledger.close();
    });
  },
});
