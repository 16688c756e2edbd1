#!/usr/bin/env node
// strategy daemon: strategies on live ticks and books; orders to risk; their order events from the OMS stream.
import { loadInstruments } from '@hft/market-store';
import { ServiceToken } from '@hft/auth';
import { fromRoot, workspaceRoot } from '@hft/config';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { nowNs, topics, type OrderEvent } from '@hft/messages';
import { followOrderEvents } from '@hft/order-stream';
import { createStrategy, StrategyHost } from '@hft/strategies';
import { CommandClient, StreamLink } from '@hft/transport';
import { resume } from './resume.js';
import { Waterfall } from './waterfall.js';

const args = daemonArgs('strategy', 'Hosts the strategies enabled in [strategy] of config/platform.toml on live market data; orders go to\nrisk, their order events come back on the OMS\'s order-event stream.', {
  strategies: { type: 'string', describe: 'comma-separated strategy ids to run instead of [strategy].enabled' },
  identity: { type: 'string', describe: 'ZeroMQ identity towards risk (default strategy-<pid>)' },
});

await runDaemon({
  name: 'strategy',
  args,
  start: async ({ cfg, log, health, http, onShutdown }) => {
    const sc = cfg.strategy;
    const ids = args.strategies ? args.strategies.split(',').map((s) => s.trim()).filter(Boolean) : sc.enabled;
    const risk = new CommandClient('orders', { endpoint: cfg.endpoints.orders.connect, log, identity: args.identity ?? `strategy-${process.pid}` });
    // Conditional orders (stops, trailing stops, brackets) wait in the OMS's trigger engine; orders go to risk.
    const conditional = new CommandClient('conditional', { endpoint: cfg.endpoints.conditional.connect, log, identity: `${args.identity ?? `strategy-${process.pid}`}-conditional` });
    // Symbols a strategy subscribes at run time (a scanner suggestion) join the tick and book subscriptions.
    const late: ((symbol: string) => void)[] = [];
    const host = new StrategyHost({
      instruments: await loadInstruments(cfg, log),
      log,
      onSubscribe: (symbol) => late.forEach((f) => f(symbol)),
      send: (cmd) => (cmd.type === 'PlaceConditionalOrder' || cmd.type === 'CancelConditionalOrder' ? conditional.send(cmd) : risk.send(cmd)),
      ackTimeoutMs: sc.order_ack_timeout_ms,
    });
    for (const id of ids) {
      const params = cfg.strategy.params[id];
      if (!params) throw new Error(`strategy ${id} has no [strategy.params.${id}] section`);
      host.add(id, await createStrategy(id, params, workspaceRoot()));
    }
    log.info({ strategies: ids, symbols: host.symbols() }, 'strategies loaded');
    // Risk's denials of our commands come straight back; everything else on the order-event stream.
    risk.start((denied) => host.onOrderEvent(denied));
    conditional.start((refused) => host.onConditionalEvent(refused));
    const conditionalEvents = new StreamLink('order_events', { endpoint: cfg.endpoints.order_events.connect, topics: ids.map(topics.conditional), log }).start((e) => {
      if ('conditionalId' in e) host.onConditionalEvent(e);
    });

    const token = ServiceToken.of(sc, fromRoot, log);
    const waterfall = new Waterfall();
    const onEvent = (e: OrderEvent): void => {
      if (e.type === 'OrderAccepted') waterfall.observe(e, nowNs());
      host.onOrderEvent(e);
    };
    const { feed, reader } = followOrderEvents({ endpoint: cfg.endpoints.order_events.connect, omsUrl: sc.oms_url, token: async () => (await token?.bearer()) ?? null, strategies: ids, log, onEvent });
    // Resume from the truth before the first tick: positions and working orders as the OMS has them.
    const resumed = token ? await resume(host, ids, reader, feed, log) : { status: 'ok' as const, detail: 'no service account: starts flat, cannot read back missed order events' };
    if (!token) {
      log.warn('no strategy.service_user: positions start flat and order events missed on the stream are not read back');
      void feed.start(host.cursors());
    }
    health.register('resumed', () => resumed);
    health.register('order_stream', () => {
      const behind = feed.behind();
      return behind.length ? { status: 'degraded', detail: behind.map((b) => `${b.strategy}: ${b.detail}`).join('; ') } : { status: 'ok' };
    });

    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: host.symbols().map(topics.tick), log, consumer: 'strategy' }).start((f) => {
      const at = nowNs();
      for (const t of f.ticks) host.onTick(t, f.tsPublish, at);
    });
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: host.symbols().map(topics.book), log, consumer: 'strategy' }).start((b) => host.onBook(b, nowNs()));
    late.push((symbol) => {
      ticks.subscribe(topics.tick(symbol));
      books.subscribe(topics.book(symbol));
      log.info({ symbol }, 'subscribed at run time');
    });
    // The scanner's suggestions, for the strategies that trade them.
    const suggestions = host.wantsSuggestions() ? new StreamLink('scanner', { endpoint: cfg.endpoints.scanner.connect, topics: [topics.scanner], log }).start((msg) => host.onSuggestions(msg)) : null;
    // Option chain snapshots (IVs, greeks, GEX) for the strategies that follow an underlying's chain.
    const underlyings = host.underlyings();
    const chains = underlyings.length ? new StreamLink('analytics', { endpoint: cfg.endpoints.analytics.connect, topics: underlyings.map(topics.chain), log }).start((s) => host.onChain(s)) : null;
    health.register('risk_queue', () => (risk.queueDepth > 10_000 ? { status: 'degraded', detail: `${risk.queueDepth} commands waiting for risk` } : { status: 'ok' }));
    http.get('/api/strategies', async () => host.status());
    const timer = setInterval(() => {
      host.exportAll();
      host.sweep();
    }, 1000);
    onShutdown(async () => {
      clearInterval(timer);
      token?.stop();
      await ticks.close();
      await books.close();
      await chains?.close();
      await suggestions?.close();
      await feed.close();
      await conditionalEvents.close();
      await conditional.close();
      await risk.close();
    });
  },
});
