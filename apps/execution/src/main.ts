#!/usr/bin/env node
// execution daemon: the exchange simulator. Commands from the OMS in, execution reports back to it.
import { loadInstruments } from '@hft/market-store';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { BOOK_PREFIX, nowNs, TICK_PREFIX } from '@hft/messages';
import { CommandServer, StreamLink } from '@hft/transport';
import { Venue, type VenueReport } from '@hft/venue';
import { DelayQueue } from './delay-queue.js';
import { execMetrics } from './exec-metrics.js';
import { LatencyModel } from './latency-model.js';

const args = daemonArgs('execution', 'Exchange simulator: matches orders from the OMS in the native engine against each other and against\nthe replayed market book, with a latency model and fees; reports every execution back to the OMS.');

await runDaemon({
  name: 'execution',
  args,
  start: async ({ cfg, log, health, onShutdown }) => {
    const x = cfg.execution;
    const m = execMetrics();
    const registry = await loadInstruments(cfg, log);
    // Reports go to the OMS that sent the orders (its identity is fixed, so a restarted OMS takes over).
    const oms = new CommandServer('venue', { endpoint: cfg.endpoints.venue.bind, log, handover: true });
    let omsPeer: Buffer | null = null;
    const report = (r: VenueReport): void => {
      m.reports.inc({ type: r.type });
      if (r.type === 'OrderFilled') m.fills.inc({ symbol: r.symbol, liquidity: r.liquidity });
      if (r.type === 'OrderRejected') m.rejects.inc({ reason: r.code });
      if (r.type === 'OrderAccepted' && r.tsTick !== null) m.tickToTrade.observe({ strategy: r.strategyId }, Number(BigInt(r.tsEvent) - BigInt(r.tsTick)) / 1e9);
      // Nobody to tell (the OMS is down): its reconciliation asks for every open order when it is back.
      if (!omsPeer || !oms.reply(omsPeer, r)) m.unsent.inc();
    };
    const venue = new Venue(registry.all(), { stp: x.self_trade_prevention, fees: (symbol) => x.fees[symbol] ?? x.fees['default']!, history: x.order_history, depth: cfg.market_data.book_depth, run: `X${Date.now().toString(36)}` }, report);
    const timed = (fn: () => void): void => {
      const before = venue.stats.matchingSeconds;
      fn();
      m.matching.observe(venue.stats.matchingSeconds - before);
    };
    const latency = new LatencyModel(x.latency_model, x.latency_min_us, x.latency_max_us);
    const delay = new DelayQueue();
    await oms.start((peer, msg) => {
      omsPeer = peer;
      if (msg.type === 'QueryOrderStatus') {
        oms.reply(peer, venue.status(msg));
        return;
      }
      const received = performance.now();
      if (msg.type === 'VenueSubmitOrder' && msg.stamps) msg.stamps.venueIn = nowNs();
      delay.push(latency.sampleUs(), () => {
        m.latency.observe((performance.now() - received) / 1000);
        timed(() => {
          if (msg.type === 'VenueSubmitOrder') {
            m.orders.inc({ type: msg.orderType === 'market' ? 'market' : msg.postOnly ? 'post_only' : msg.timeInForce === 'ioc' ? 'ioc' : 'limit' });
            if (venue.submit(msg) === 'duplicate') m.duplicates.inc();
          } else if (msg.type === 'VenueReplaceOrder') {
            m.replaces.inc();
            venue.replace(msg);
          } else {
            m.cancels.inc({ kind: 'order' });
            venue.cancel(msg);
          }
        });
      });
    });
    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: [TICK_PREFIX], log, consumer: 'execution' }).start((f) => timed(() => f.ticks.forEach((t) => venue.onTick(t))));
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: [BOOK_PREFIX], log, consumer: 'execution' }).start((b) => timed(() => venue.onBook(b)));

    const setVenue = health.component('venue', { status: 'ok', detail: 'starting' });
    const gauges = setInterval(() => {
      const resting = venue.ourResting();
      let total = 0;
      for (const s of registry.symbols()) {
        const n = resting.get(s) ?? 0;
        total += n;
        m.resting.set({ symbol: s }, n);
      }
      setVenue({ status: 'ok', detail: `${total} of our orders open, ${delay.size} in the latency queue${venue.stats.refused ? `, ${venue.stats.refused} engine events refused by the order lifecycle` : ''}` });
    }, 1000);
    onShutdown(async () => {
      clearInterval(gauges);
      await oms.close();
      await ticks.close();
      await books.close();
      delay.close();
    });
  },
});
