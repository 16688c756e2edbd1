#!/usr/bin/env node
// market-services daemon: the instrument master and its search, quotes, 1-minute candles recorded into
// Postgres and served at any interval, and the momentum scanner on scan.suggestions.
import { verifierFor } from '@hft/auth';
import { daemonArgs, runDaemon } from '@hft/daemon';
import { errorMessage } from '@hft/errors';
import { CandleStore, InstrumentMaster, migrateMarketStore, storePool } from '@hft/market-store';
import { CHAIN_PREFIX, offPathBookPrefix, tradesOnlyTickPrefix, TickKind } from '@hft/messages';
import { scannerWeights } from '@hft/scanner';
import { Publisher, StreamLink } from '@hft/transport';
import { CandleRecorder } from './candle-recorder.js';
import { registerMarketApi } from './http-api.js';
import { InstrumentCatalog } from './instrument-catalog.js';
import { marketMetrics } from './market-metrics.js';
import { MarketReads } from './market-reads.js';
import { QuoteBook } from './quote-book.js';
import { ScannerService } from './scanner-service.js';

const args = daemonArgs('market-services', 'Instrument master and search, quotes, candles recorded into Postgres (partitioned by day) and\nserved at 1m/5m/15m/1h/1d, and the momentum scanner (topic scan.suggestions).', {});

await runDaemon({
  name: 'market-services',
  args,
  start: async ({ cfg, log, http, health, onShutdown }) => {
    const ms = cfg.market_services;
    const m = marketMetrics();
    const pool = storePool(cfg.services.database_url, 4);
    const applied = await migrateMarketStore(pool);
    if (applied.length) log.info({ applied }, 'market store migrations applied');
    const store = new CandleStore(pool);
    const catalog = new InstrumentCatalog(cfg, new InstrumentMaster(pool), m, log);
    await catalog.start();

    const pub = new Publisher({ stream: 'scanner', endpoint: cfg.endpoints.scanner.bind, highWaterMark: 100_000 });
    await pub.bind();
    const s = ms.scanner;
    const scanner = new ScannerService(
      { everyMinutes: s.every_minutes, lookbackDays: s.lookback_days, windowMinutes: s.window_minutes, top: s.top, minScore: s.min_score, weights: scannerWeights(s.weights) },
      s.universe,
      catalog,
      store,
      pub,
      m,
      log.child({ module: 'scanner' }),
    );
    const recorder = new CandleRecorder(store, m, log, { lingerMs: ms.candle_linger_ms, maxBacklog: 1_000_000 }, (c) => scanner.onClosed(c)).start();
    const book = new QuoteBook();
    const reads = new MarketReads(catalog, store, recorder, book);
    registerMarketApi(http, { cfg, verifier: verifierFor(cfg.security), catalog, reads, scanner, m });
    health.register('candle_store', () => (recorder.backlog > 10_000 ? { status: 'degraded', detail: `${recorder.backlog} closed candles waiting for Postgres` } : { status: 'ok' }));

    // Trades only (the trade topic): the candles, the last price, and the clock the scanner runs on.
    const ticks = new StreamLink('ticks', { endpoint: cfg.endpoints.ticks.connect, topics: [tradesOnlyTickPrefix(cfg.market_data.trade_topic)], log, consumer: 'market-services' }).start((f) => {
      for (const t of f.ticks) {
        const inst = t.kind === TickKind.Trade ? catalog.instrument(t.symbol) : undefined;
        if (!inst) continue;
        recorder.trade(t, inst);
        book.onTrade(t);
      }
      recorder.advance();
      scanner.advance(recorder.clockMs);
    });
    const books = new StreamLink('books', { endpoint: cfg.endpoints.books.connect, topics: [offPathBookPrefix(cfg.market_data.sampled_book_ms)], log, consumer: 'market-services' }).start((b) => book.onBook(b));
    const chains = new StreamLink('analytics', { endpoint: cfg.endpoints.analytics.connect, topics: [CHAIN_PREFIX], log }).start((c) => book.onChain(c));

    const maintain = async (): Promise<void> => {
      try {
        await store.maintain(ms.retention_days);
      } catch (e) {
        log.warn({ err: errorMessage(e) }, 'candle store maintenance (pg_partman) failed');
      }
    };
    void maintain();
    const maintenance = setInterval(() => void maintain(), ms.maintenance_interval_s * 1000);
    onShutdown(async () => {
      clearInterval(maintenance);
      await ticks.close();
      await books.close();
      await chains.close();
      await recorder.close();
      await pub.close();
      await catalog.close();
      await pool.end();
    });
  },
});
