import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export function marketMetrics() {
  return {
    candlesWritten: counter({ name: 'hft_market_candles_written_total', help: 'Closed 1-minute candles written to the candle store, by outcome (inserted, updated, unchanged)', labelNames: ['outcome'] }),
    candleWriteErrors: counter({ name: 'hft_market_candle_write_errors_total', help: 'Candle store writes that failed (retried)' }),
    candlesDropped: counter({ name: 'hft_market_candles_dropped_total', help: 'Closed candles dropped because the write-behind buffer was full (Postgres away too long)' }),
    candleBacklog: gauge({ name: 'hft_market_candle_backlog', help: 'Closed candles waiting for the candle store' }),
    writeSeconds: histogram({ name: 'hft_market_candle_write_seconds', help: 'Time of one candle store write', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5] }),
    instruments: gauge({ name: 'hft_market_instruments', help: 'Instruments in the master (search index size)' }),
    searchSeconds: histogram({ name: 'hft_market_search_seconds', help: 'Time of one instrument search', buckets: LATENCY_BUCKETS }),
    requestsRefused: counter({ name: 'hft_market_requests_refused_total', help: 'REST requests refused, by route and reason', labelNames: ['route', 'reason'] }),
    scans: counter({ name: 'hft_market_scans_total', help: 'Scanner runs (every N minutes of exchange time)' }),
    suggestions: counter({ name: 'hft_market_scanner_suggestions_total', help: 'Suggestions published' }),
    scanSeconds: histogram({ name: 'hft_market_scan_seconds', help: 'Time of one scan', buckets: LATENCY_BUCKETS }),
    exchangeTime: gauge({ name: 'hft_market_exchange_time_seconds', help: 'Exchange time of the latest trade seen (epoch seconds)' }),
  };
}
export type MarketMetrics = ReturnType<typeof marketMetrics>;
