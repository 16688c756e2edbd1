import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export function mdMetrics() {
  return {
    ticks: counter({ name: 'hft_md_ticks_published_total', help: 'Ticks published, by symbol and kind (trade, bid, ask)', labelNames: ['symbol', 'kind'] }),
    snapshots: counter({ name: 'hft_md_book_snapshots_total', help: 'L2 book snapshots published, by symbol', labelNames: ['symbol'] }),
    badRows: counter({ name: 'hft_md_bad_rows_total', help: 'Tick file rows refused (reported with file and line, then skipped), by reason', labelNames: ['reason'] }),
    bookRejects: counter({ name: 'hft_md_book_rejects_total', help: 'Level updates the native book refused, by reject code', labelNames: ['reason'] }),
    lag: histogram({
      name: 'hft_md_replay_lag_seconds',
      help: 'How late each tick was published relative to its paced due time (paced replays only)',
      buckets: LATENCY_BUCKETS,
    }),
    speed: gauge({ name: 'hft_md_replay_speed_ratio', help: 'Achieved replay speed: data seconds replayed per wall second' }),
    targetSpeed: gauge({ name: 'hft_md_replay_target_speed_ratio', help: 'Requested replay speed (0 = as fast as possible)' }),
    progress: gauge({ name: 'hft_md_replay_progress_ratio', help: 'Fraction of the tick files read' }),
    chainSnapshots: counter({ name: 'hft_md_chain_snapshots_total', help: 'Option chain snapshots published on md.chain.<UNDERLYING>, by underlying', labelNames: ['underlying'] }),
    unvalued: gauge({ name: 'hft_md_options_unvalued', help: 'Contracts of the latest chain snapshot without implied vol and greeks, by underlying and code', labelNames: ['underlying', 'code'] }),
    gexByStrike: gauge({ name: 'hft_md_chain_gex_by_strike', help: 'Dealer gamma exposure per strike over all expiries of the latest chain snapshot (currency per 1% move; calls +, puts -)', labelNames: ['underlying', 'strike'] }),
    atmIv: gauge({ name: 'hft_md_chain_atm_iv', help: 'At-the-money implied vol per expiry of the latest chain snapshot', labelNames: ['underlying', 'expiry'] }),
    walls: gauge({ name: 'hft_md_chain_wall_strike', help: 'Strike of the largest call / put gamma exposure (the walls), latest chain snapshot', labelNames: ['underlying', 'wall'] }),
    putCallRatio: gauge({ name: 'hft_md_chain_put_call_ratio', help: 'Put/call ratio of the latest chain snapshot, by open interest or volume', labelNames: ['underlying', 'basis'] }),
    volDivergence: gauge({ name: 'hft_md_vol_divergence_points', help: 'ATM implied vol minus the volatility index, against its window mean (vol points), latest chain snapshot', labelNames: ['underlying', 'index'] }),
    volDivergenceAlerts: counter({ name: 'hft_md_vol_divergence_alerts_total', help: 'VIX-divergence alerts: the signal turning iv_rich or iv_cheap', labelNames: ['underlying', 'index', 'signal'] }),
    venueEvents: counter({ name: 'hft_md_venue_events_total', help: 'ITCH events that are not ticks: system events (system_<code>), trading actions (trading_<state>), broken trades', labelNames: ['event'] }),
    tradingState: gauge({ name: 'hft_md_trading_state', help: 'Latest ITCH trading state per symbol, as the character code of H halted, P paused, Q quotation only, T trading', labelNames: ['symbol'] }),
    running: gauge({ name: 'hft_md_replay_running', help: '1 while a replay is running' }),
  };
}
export type MdMetrics = ReturnType<typeof mdMetrics>;
