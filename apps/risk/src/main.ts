#!/usr/bin/env node
// risk daemon: every order passes here; checks run atomically against Redis; fails closed.
import { hideBin } from 'yargs/helpers';
import { runDaemon } from '@hft/daemon';
import {
  BOOK_PREFIX,
  decodeBookSnapshot,
  decodeTickFrame,
  encodeMessage,
  envelope,
  EXEC_PREFIX,
  EXECUTION_REPORT_TYPES,
  TICK_PREFIX,
  topics,
  type MessageInput,
} from '@hft/messages';
import { DealerClient, FrameGuard, GapMonitor, Publisher, RouterServer, Subscriber } from '@hft/transport';
import { parseArgs } from './cli.js';
import { registerRiskApi } from './http-api.js';
import { KillSwitch } from './kill-switch.js';
import { OrderGate } from './order-gate.js';
import { ReferencePrices } from './reference-prices.js';
import { ApprovalTracker } from './approval-tracker.js';
import { ReportListener } from './report-listener.js';
import { riskMetrics } from './risk-metrics.js';
import { RiskStore, type HeldOrder } from './risk-store.js';
import { ServiceToken, verifierFor } from '@hft/auth';
import { fromRoot } from '@hft/config';
import { LedgerCatchUp } from './ledger-catch-up.js';

const args = parseArgs(hideBin(process.argv));

await runDaemon({
  name: 'risk',
  ...(args.config ? { configPath: args.config } : {}),
  httpPort: (cfg) => args.httpPort ?? cfg.risk.http_port,
  start: async ({ cfg, log, health, http, onShutdown }) => {
    const m = riskMetrics();
    const gaps = new GapMonitor(['exec_reports']);
    const store = new RiskStore(cfg.services.redis_url, cfg.risk.redis_prefix, { duplicateWindowS: cfg.risk.duplicate_window_s });
    const refs = new ReferencePrices();
    // After a restart: fills and finished orders missed while down, read back from the OMS ledger.
    let catchUpSince: Date | null | undefined;
    let catchUpState: { status: 'ok' | 'degraded'; detail?: string } = { status: 'ok' };
    const r = cfg.risk;
    const serviceToken = r.service_user && r.service_password_file ? new ServiceToken(r.security_url, r.service_user, fromRoot(r.service_password_file), log) : null;
    // Then every few seconds over the last minute: a report dropped on the way (PUB high-water
    // mark, a reconnect) is caught the same way. Everything applied is idempotent.
    let catchUpTimer: NodeJS.Timeout | null = null;
    // Orders approved before this process started, still holding working quantity (after a restart).
    const startedAt = Date.now();
    let inherited: HeldOrder[] | null = null;
    const lostRef: { current: ((o: HeldOrder) => void) | null } = { current: null };
    const catchUp = async (): Promise<void> => {
      if (!serviceToken) {
        if (catchUpSince) log.error('risk restarted without a service account (risk.service_user): fills missed while it was down are not read back');
        return;
      }
      serviceToken.start();
      const ledger = new LedgerCatchUp(store, r.oms_url, () => serviceToken.ready(10_000), m, log);
      let since = catchUpSince ?? new Date(Date.now() - 60_000);
      const tick = async (): Promise<void> => {
        const started = Date.now();
        try {
          await ledger.run(since);
          since = new Date(started - 60_000);
          // After a grace period, so approvals sent just before the crash have reached the ledger.
          if (inherited && started - startedAt > 5000) {
            await ledger.resolveInherited(inherited, (o) => lostRef.current?.(o));
            inherited = null;
          }
          catchUpState = { status: 'ok' };
        } catch (e) {
          catchUpState = { status: 'degraded', detail: `positions may miss fills reported while risk could not hear them: ${(e as Error).message}` };
        }
        catchUpTimer = setTimeout(() => void tick(), 5000);
        catchUpTimer.unref();
      };
      await tick();
    };
    onShutdown(async () => {
      if (catchUpTimer) clearTimeout(catchUpTimer);
      serviceToken?.stop();
    });
    health.register('ledger_catch_up', () => catchUpState);

    // Limits are seeded once Redis answers; limit changes wait for it so a seed can never overwrite them.
    let markSeeded!: () => void;
    const seeded = new Promise<void>((r) => (markSeeded = r));
    let seeding: Promise<void> | null = null;
    const seedOnce = (): Promise<void> =>
      (seeding ??= (async () => {
        try {
          const did = await store.seedLimits(cfg.risk, args.resetLimits);
          if (did) log.info(args.resetLimits ? 'limits reset from the config file' : 'limits seeded from the config file');
          refs.seed(await store.loadMarks());
          await killSwitch.refreshGauges();
          if (catchUpSince === undefined) {
            const hb = await store.lastHeartbeat();
            catchUpSince = hb === null ? null : new Date(hb - 5000);
            if (hb !== null) inherited = (await store.heldOrders()).filter((o) => o.approvedAt < startedAt);
            void catchUp();
          }
          markSeeded();
        } catch (e) {
          seeding = null;
          log.warn({ err: (e as Error).message }, 'cannot read risk state yet');
        }
      })());
    store.redis.on('ready', () => {
      m.redisUp.set(1);
      log.info('risk state (Redis) reachable');
      void seedOnce();
    });
    store.redis.on('close', () => {
      m.redisUp.set(0);
      log.error({ err: store.lastError }, 'risk state (Redis) unreachable: denying every order until it is back');
    });
    health.register('redis', () => (store.up ? { status: 'ok' } : { status: 'down', detail: `Redis unreachable at ${cfg.services.redis_url}: ${store.lastError || 'connecting'}; all orders are denied` }));

    // Strategies -> risk (commands), replies (denials) go back on the same socket.
    const strategies = new RouterServer({ stream: 'orders', endpoint: cfg.endpoints.orders.bind });
    const peers = new Map<string, Buffer>();
    const toStrategy = (msg: MessageInput<'OrderDenied'> | MessageInput<'OrderRejected'> | MessageInput<'OrderCancelRejected'> | MessageInput<'OrderCanceled'>): void => {
      const peer = peers.get(msg.strategyId);
      if (peer) strategies.send(peer, encodeMessage(msg));
    };
    lostRef.current = (o) =>
      toStrategy({
        type: 'OrderRejected',
        ...envelope(),
        strategyId: o.strategy,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        orderId: null,
        code: 'APPROVAL_LOST',
        reason: 'approved before a risk restart, never reached the OMS ledger: not sent',
      });
    // Risk -> OMS: approved orders and cancels; the OMS answers with its own refusals.
    const oms = new DealerClient({ stream: 'approved', endpoint: cfg.endpoints.approved.connect, identity: `risk-${process.pid}` });
    const toOms = (msg: MessageInput<'OrderApproved'> | MessageInput<'CancelOrder'> | MessageInput<'CancelAllOrders'>): boolean => oms.trySend(encodeMessage(msg));
    const reportsRef: { current: ReportListener | null } = { current: null };
    const approvals = new ApprovalTracker(
      (msg) => toOms(msg),
      (msg, rejection) => {
        reportsRef.current?.release(msg.strategyId, msg.symbol, msg.clientOrderId);
        toStrategy(rejection);
      },
      log,
      { resendAfterMs: 1000, maxAttempts: 60, capacity: 100_000 },
    );
    const control = new Publisher({ stream: 'control', endpoint: cfg.endpoints.control.bind });
    await control.bind();
    const killSwitch = new KillSwitch(store, control, toOms, m, log);
    const gate = new OrderGate(
      store,
      refs,
      {
        toOms: (msg) => (msg.type === 'OrderApproved' ? approvals.approve(msg as MessageInput<'OrderApproved'> & { eventId: string }) : toOms(msg)),
        toStrategy,
        halted: (strategyId, symbol) => killSwitch.haltedFor(strategyId, symbol),
      },
      m,
      log,
      cfg.risk.check_timeout_ms,
    );
    const reports = new ReportListener(store, m, log);
    reportsRef.current = reports;
    health.register('report_backlog', () => (reports.backlog > 0 ? { status: 'degraded', detail: `${reports.backlog} execution reports waiting for Redis` } : { status: 'ok' }));

    const orderGuard = new FrameGuard('orders', log);
    await strategies.start((peer, body) => {
      const msg = orderGuard.json(body, ['SubmitOrder', 'CancelOrder']);
      if (!msg) return;
      peers.set(msg.strategyId, peer);
      if (msg.type === 'SubmitOrder') void gate.submit(msg);
      else gate.cancel(msg);
    });
    const omsGuard = new FrameGuard('approved', log);
    oms.start((body) => {
      const msg = omsGuard.json(body, ['OrderSubmitted', 'OrderRejected', 'OrderCancelRejected', 'OrderCanceled']);
      if (!msg) return;
      if (msg.type === 'OrderCanceled') {
        // Ended by the OMS's reconciliation with the venue: no execution report will come, so the
        // working quantity is released here and the strategy told.
        reports.release(msg.strategyId, msg.symbol, msg.clientOrderId);
        toStrategy(msg);
        return;
      }
      if (msg.type === 'OrderSubmitted') {
        approvals.acknowledged(msg.strategyId, msg.clientOrderId);
        return;
      }
      if (msg.type === 'OrderRejected') {
        approvals.acknowledged(msg.strategyId, msg.clientOrderId);
        reports.release(msg.strategyId, msg.symbol, msg.clientOrderId);
      }
      toStrategy(msg);
    });

    // Synchronous checks for any client.
    const checkServer = new RouterServer({ stream: 'risk_check', endpoint: cfg.endpoints.risk_check.bind });
    const checkGuard = new FrameGuard('risk_check', log);
    await checkServer.start((peer, body, frames) => {
      const msg = checkGuard.json(body, ['CheckOrder']);
      if (!msg) return;
      const viaReq = frames.length === 3;
      void gate.check(msg).then((res) => checkServer.send(peer, encodeMessage(res), viaReq));
    });

    // Reference prices from market data; positions from execution reports.
    const mdGuard = new FrameGuard('market_data', log);
    const ticks = new Subscriber({ stream: 'ticks', endpoint: cfg.endpoints.ticks.connect, topics: [TICK_PREFIX] });
    ticks.start((_t, [body]) => {
      const f = mdGuard.accept(decodeTickFrame(body!));
      if (f) for (const t of f.ticks) refs.onTick(t);
    });
    const books = new Subscriber({ stream: 'books', endpoint: cfg.endpoints.books.connect, topics: [BOOK_PREFIX] });
    books.start((_t, [body]) => {
      const b = mdGuard.accept(decodeBookSnapshot(body!));
      if (b) refs.onBook(b);
    });
    const reportGuard = new FrameGuard('exec_reports', log);
    const execSub = new Subscriber({ stream: 'exec_reports', endpoint: cfg.endpoints.exec_reports.connect, topics: [EXEC_PREFIX] });
    execSub.start((topic, [body]) => {
      const r = reportGuard.json(body!, EXECUTION_REPORT_TYPES);
      if (!r) return;
      if (r.seq !== undefined) gaps.see('exec_reports', topic, r.seq);
      reports.onReport(r);
    });
    const marks = setInterval(() => {
      const changed = refs.takeChanged();
      if (changed && store.up) store.saveMarks(changed).catch(() => m.stateErrors.inc({ op: 'marks' }));
      // Only once the previous heartbeat has been read: it says where the catch-up starts.
      if (store.up && catchUpSince !== undefined) store.heartbeat(Date.now()).catch(() => m.stateErrors.inc({ op: 'heartbeat' }));
    }, 1000);

    let limitsSeq = 0;
    registerRiskApi(http, {
      store,
      killSwitch,
      refs,
      seeded,
      verifier: verifierFor(cfg.security),
      onLimitsChanged: (scope, target, limits, actor) =>
        control.publish(topics.limits, encodeMessage({ type: 'LimitsChanged', ...envelope(), seq: ++limitsSeq, scope: scope as 'default', target, limits, actor })),
    });

    await store.connect();
    if (store.up) await seedOnce();
    onShutdown(async () => {
      clearInterval(marks);
      approvals.close();
      gate.close();
      reports.close();
      await strategies.close();
      await checkServer.close();
      await ticks.close();
      await books.close();
      await execSub.close();
      await oms.close();
      await control.close();
      await store.close();
    });
  },
});
