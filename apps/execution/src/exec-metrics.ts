import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export function execMetrics() {
  return {
    orders: counter({ name: 'hft_exec_orders_total', help: 'Orders received, by type (limit, market, ioc, post_only)', labelNames: ['type'] }),
    cancels: counter({ name: 'hft_exec_cancels_total', help: 'Cancel requests received, by kind (order, all)', labelNames: ['kind'] }),
    replaces: counter({ name: 'hft_exec_replaces_total', help: 'Replace requests received (new price or quantity for a resting order)' }),
    fills: counter({ name: 'hft_exec_fills_total', help: 'Fills of our orders, by symbol and liquidity', labelNames: ['symbol', 'liquidity'] }),
    rejects: counter({ name: 'hft_exec_rejects_total', help: 'Orders the venue rejected, by reason code', labelNames: ['reason'] }),
    duplicates: counter({ name: 'hft_exec_duplicate_orders_total', help: 'Orders received again with a known orderId (ignored)' }),
    matching: histogram({ name: 'hft_exec_matching_seconds', help: 'Native matching time per engine call (one input: an order, a cancel, a book update or a trade)', buckets: LATENCY_BUCKETS }),
    latency: histogram({ name: 'hft_exec_venue_latency_seconds', help: 'Venue latency applied: order received -> processed by the matching engine', buckets: LATENCY_BUCKETS }),
    resting: gauge({ name: 'hft_exec_resting_orders', help: 'Our orders resting at the venue, by symbol', labelNames: ['symbol'] }),
    tickToTrade: histogram({
      name: 'hft_tick_to_trade_seconds',
      help: 'Tick published by market-data -> order acknowledged by the venue, by strategy (across processes, same host clock)',
      labelNames: ['strategy'],
      buckets: LATENCY_BUCKETS,
    }),
    reports: counter({ name: 'hft_exec_reports_total', help: 'Execution reports made, by type', labelNames: ['type'] }),
    unsent: counter({ name: 'hft_exec_reports_unsent_total', help: 'Execution reports with no OMS connected to take them (it reconciles when it is back)' }),
  };
}
export type ExecMetrics = ReturnType<typeof execMetrics>;
