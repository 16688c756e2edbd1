#!/usr/bin/env node
// execution daemon: the exchange simulator.
import { hideBin } from 'yargs/helpers';
import { InstrumentRegistry } from '@hft/config';
import { runDaemon } from '@hft/daemon';
import { BOOK_PREFIX, decodeBookSnapshot, decodeTickFrame, encodeMessage, TICK_PREFIX, topics } from '@hft/messages';
import { FrameGuard, Publisher, RouterServer, Subscriber } from '@hft/transport';
import { parseArgs } from './cli.js';
import { DelayQueue } from './delay-queue.js';
import { execMetrics } from './exec-metrics.js';
import { LatencyModel } from './latency-model.js';
import { Venue, type VenueReport } from '@hft/venue';

const args = parseArgs(hideBin(process.argv));

await runDaemon({
  name: 'execution',
  ...(args.config ? { configPath: args.config } : {}),
  httpPort: (cfg) => args.httpPort ?? cfg.execution.http_port,
  start: async ({ cfg, log, health, onShutdown }) => {
    const x = cfg.execution;
    const m = execMetrics();
    const registry = InstrumentRegistry.fromConfig(cfg);
    const reports = new Publisher({ stream: 'exec_reports', endpoint: cfg.endpoints.exec_reports.bind, highWaterMark: x.pub_hwm });
    await reports.bind();
    const seq = new Map<string, number>();
    const publish = (r: VenueReport): void => {
      const n = (seq.get(r.strategyId) ?? 0) + 1;
      seq.set(r.strategyId, n);
      m.reports.inc({ type: r.type });
      if (r.type === 'OrderFilled') m.fills.inc({ symbol: r.symbol, liquidity: r.liquidity });
      if (r.type === 'OrderRejected') m.rejects.inc({ reason: r.code });
      if (r.type === 'OrderAccepted' && r.tsTick !== null) m.tickToTrade.observe({ strategy: r.strategyId }, Number(BigInt(r.tsEvent) - BigInt(r.tsTick)) / 1e9);
      reports.publish(topics.execReports(r.strategyId), encodeMessage({ ...r, seq: n }));
    };
    const venue = new Venue(
      registry.all(),
      {
        stp: x.self_trade_prevention,
        fees: (symbol) => x.fees[symbol] ?? x.fees['default']!,
        history: x.order_history,
        depth: cfg.market_data.book_depth,
        run: `X${Date.now().toString(36)}`,
      },
      publish,
    );
    const timed = (fn: () => void): void => {
      const before = venue.stats.matchingSeconds;
      fn();
      m.matching.observe(venue.stats.matchingSeconds - before);
    };
    const latency = new LatencyModel(x.latency_model, x.latency_min_us, x.latency_max_us);
    const delay = new DelayQueue();

    const oms = new RouterServer({ stream: 'venue', endpoint: cfg.endpoints.venue.bind });
    const guard = new FrameGuard('venue', log);
    await oms.start((peer, body) => {
      const msg = guard.json(body, ['SubmitOrder', 'CancelOrder', 'CancelAllOrders', 'QueryOrderStatus']);
      if (!msg) return;
      if (msg.type === 'QueryOrderStatus') {
        oms.send(peer, encodeMessage(venue.status(msg)));
        return;
      }
      const received = performance.now();
      delay.push(latency.sampleUs(), () => {
        m.latency.observe((performance.now() - received) / 1000);
        timed(() => {
          if (msg.type === 'SubmitOrder') {
            m.orders.inc({ type: msg.orderType === 'market' ? 'market' : msg.postOnly ? 'post_only' : msg.timeInForce === 'ioc' ? 'ioc' : 'limit' });
            if (venue.submit(msg) === 'duplicate') m.duplicates.inc();
          } else if (msg.type === 'CancelOrder') {
            m.cancels.inc({ kind: 'order' });
            venue.cancel(msg);
          } else {
            m.cancels.inc({ kind: 'all' });
            venue.cancelAll(msg);
          }
        });
      });
    });

    const mdGuard = new FrameGuard('market_data', log);
    const ticks = new Subscriber({ stream: 'ticks', endpoint: cfg.endpoints.ticks.connect, topics: [TICK_PREFIX] });
    ticks.start((_t, [body]) => {
      const f = mdGuard.accept(decodeTickFrame(body!));
      if (f) timed(() => f.ticks.forEach((t) => venue.onTick(t)));
    });
    const books = new Subscriber({ stream: 'books', endpoint: cfg.endpoints.books.connect, topics: [BOOK_PREFIX] });
    books.start((_t, [body]) => {
      const b = mdGuard.accept(decodeBookSnapshot(body!));
      if (b) timed(() => venue.onBook(b));
    });

    const setVenue = health.component('venue', { status: 'ok', detail: 'starting' });
    const gauges = setInterval(() => {
      const resting = venue.ourResting();
      let total = 0;
      for (const s of registry.symbols()) {
        const n = resting.get(s) ?? 0;
        total += n;
        m.resting.set({ symbol: s }, n);
      }
      setVenue({ status: 'ok', detail: `${total} of our orders open, ${delay.size} in the latency queue` });
    }, 1000);
    onShutdown(async () => {
      clearInterval(gauges);
      await oms.close();
      await ticks.close();
      await books.close();
      delay.close();
      await reports.close();
    });
  },
});
