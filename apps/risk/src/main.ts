#!/usr/bin/env node
// risk daemon: every order passes here; decided in memory, state persisted to Redis behind; fails closed.
import { loadInstruments } from '@hft/market-store';
import { ServiceToken, verifierFor } from '@hft/auth';
import { fromRoot } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { CHAIN_PREFIX, encodeMessage, offPathBookPrefix, envelope, nowNs, tradesOnlyTickPrefix, topics, type StrategyState } from '@hft/messages';
import { followOrderEvents } from '@hft/order-stream';
import { CommandClient, CommandServer, Publisher, StreamLink } from '@hft/transport';
import { registerRiskApi } from './http-api.js';
import { KillSwitch } from './kill-switch.js';
import { ReferencePrices } from './reference-prices.js';
import { GreekBook } from './greek-exposure.js';
import { RiskEngine } from './risk-engine.js';
import { riskMetrics } from './risk-metrics.js';
import { RiskPersistence } from './risk-persistence.js';
import { RiskService } from './risk-service.js';
import { startRisk } from './risk-startup.js';

const args = daemonArgs('risk', 'Pre-trade risk: checks every order from the strategies in memory against limits, positions and the\nkill-switch, forwards approved orders to the OMS, persists its state to Redis, serves the risk officer\'s API.', {
  'reset-limits': { type: 'boolean', default: false, describe: 'replace the live limits in Redis with the ones in the config file' },
});

await runDaemon({
  name: 'risk',
  args,
  start: async ({ cfg, log, health, http, onShutdown }) => {
    const r = cfg.risk;
    const m = riskMetrics();
    const refs = new ReferencePrices();
    const store = new RiskPersistence(cfg.services.redis_url, r.redis_prefix, { maxLagMs: r.persist_max_lag_ms, maxPending: r.persist_max_pending, coalesceMs: r.persist_coalesce_ms });
    const registry = await loadInstruments(cfg, log);
    const engine = new RiskEngine(registry, store, r.duplicate_memory);
    engine.greeks = new GreekBook(registry, r.greek_limits);
    store.bind(engine, () => refs.all());

    const strategies = new CommandServer('orders', { endpoint: cfg.endpoints.orders.bind, log });
    const peers = new Map<string, Buffer>();
    const oms = new CommandClient('approved', { endpoint: cfg.endpoints.approved.connect, log, identity: `risk-${process.pid}` }).start();
    // A denial is decided while its order is handled: it goes back to that order's sender (a strategy's
    // orders may come from the strategy daemon and from the OMS's trigger engine alike).
    let sender: Buffer | null = null;
    const service = new RiskService(engine, store, refs, { toOms: (msg) => oms.send(msg), toStrategy: (msg) => void ((sender ?? peers.get(msg.strategyId)) && strategies.reply((sender ?? peers.get(msg.strategyId))!, msg)) }, m, log);
    const control = new Publisher({ stream: 'control', endpoint: cfg.endpoints.control.bind });
    await control.bind();
    const killSwitch = new KillSwitch(engine, store, { toOms: (msg) => oms.send(msg), announce: (msg) => control.publish(topics.killSwitch, encodeMessage(msg)) }, m, log);

    await strategies.start((peer, msg) => {
      peers.set(msg.strategyId, peer);
      sender = peer;
      try {
        if (msg.type === 'SubmitOrder') service.submit(msg, nowNs());
        else if (msg.type === 'ReplaceOrder') service.replace(msg);
        else service.cancel(msg);
      } finally {
        sender = null;
      }
    });
    const checks = await new CommandServer('risk_check', { endpoint: cfg.endpoints.risk_check.bind, log }).start((peer, msg, viaReq) => checks.reply(peer, service.check(msg), viaReq));
    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: [tradesOnlyTickPrefix(cfg.market_data.trade_topic)], log, consumer: 'risk' }).start((f) => f.ticks.forEach((t) => refs.onTick(t)));
    // A reference price needs a few pictures a second, not every snapshot: the sampled topic keeps CPU for orders.
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: [offPathBookPrefix(cfg.market_data.sampled_book_ms)], log, consumer: 'risk' }).start((b) => refs.onBook(b));

    // Greeks for the greek limits: market-data's chain snapshots (a few a second at most).
    const chains = new StreamLink('analytics', { endpoint: cfg.endpoints.analytics.connect, topics: [CHAIN_PREFIX], log }).start((s) => engine.greeks!.onSnapshot(s));

    // What the order-event stream carried while risk was not listening is read back from the OMS.
    const token = ServiceToken.of(r, fromRoot, log);
    if (!token) log.error('no risk.service_user: order events missed while risk was down cannot be read back');
    // A strategy risk holds nothing for (first seen, or its stream reset) starts from its state at the OMS.
    const adopt = (st: StrategyState): void => engine.adopt(st.strategyId, st.seq, st.positions, st.openOrders);
    const { feed } = followOrderEvents({ endpoint: cfg.endpoints.order_events.connect, omsUrl: r.oms_url, token: async () => (await token?.bearer()) ?? null, strategies: 'all', log, onEvent: (e) => service.onOrderEvent(e), adopt });

    let limitsSeq = 0;
    registerRiskApi(http, {
      engine,
      store,
      killSwitch,
      refs,
      verifier: verifierFor(cfg.security),
      loaded: () => service.isLoaded,
      onLimitsChanged: (scope, target, limits, actor) => control.publish(topics.limits, encodeMessage({ type: 'LimitsChanged', ...envelope(), seq: ++limitsSeq, scope: scope as 'default', target, limits, actor })),
    });
    health.register('state', () => {
      if (!service.isReady) return { status: 'down', detail: `starting: ${store.up ? 'catching up with the order-event stream' : `Redis unreachable at ${cfg.services.redis_url}: ${store.lastError || 'connecting'}`}; all orders are denied` };
      const h = store.health();
      return h.ok ? { status: 'ok' } : { status: 'down', detail: `${h.why}; all orders are denied` };
    });
    health.register('order_stream', () => {
      const behind = feed.behind();
      return behind.length ? { status: 'degraded', detail: behind.map((b) => `${b.strategy}: ${b.detail}`).join('; ') } : { status: 'ok' };
    });

    let stopping = false;
    void startRisk({ cfg, engine, store, refs, feed, service, killSwitch, resetLimits: args['reset-limits'], log, stopped: () => stopping }).catch((e: unknown) => log.fatal({ err: e }, 'risk could not start'));
    const timers = [
      setInterval(() => {
        store.marksChanged();
        service.exportGauges();
        if (service.isReady) service.voidUnsubmitted('timeout', r.approval_timeout_ms);
      }, 1000),
    ];
    onShutdown(async () => {
      stopping = true;
      for (const t of timers) clearInterval(t);
      token?.stop();
      await strategies.close();
      await checks.close();
      await ticks.close();
      await books.close();
      await chains.close();
      await feed.close();
      await oms.close();
      await control.close();
      await store.close();
    });
  },
});
