import type { OrderStamps } from './commands.js';

/** One stage of the order path: the time from one hop's stamp to the next (see OrderStamps). */
export interface OrderPathStage {
  /** Label value of hft_order_path_seconds{stage}. */
  readonly stage: string;
  readonly label: string;
  /** A transport hop between two daemons (ZeroMQ), as opposed to a daemon's own processing. */
  readonly hop: boolean;
  readonly from: keyof OrderStamps;
  readonly to: keyof OrderStamps;
}

/** The order path's stages, in order: the latency waterfall of one order, tick published -> venue ack. */
export const ORDER_PATH_STAGES: readonly OrderPathStage[] = [
  { stage: 'tick_to_strategy', label: 'tick -> strategy', hop: true, from: 'tickPublished', to: 'strategyIn' },
  { stage: 'strategy', label: 'strategy', hop: false, from: 'strategyIn', to: 'submitted' },
  { stage: 'strategy_to_risk', label: 'strategy -> risk', hop: true, from: 'submitted', to: 'riskIn' },
  { stage: 'risk', label: 'risk', hop: false, from: 'riskIn', to: 'riskOut' },
  { stage: 'risk_to_oms', label: 'risk -> oms', hop: true, from: 'riskOut', to: 'omsIn' },
  { stage: 'oms', label: 'oms', hop: false, from: 'omsIn', to: 'omsOut' },
  { stage: 'oms_to_venue', label: 'oms -> venue', hop: true, from: 'omsOut', to: 'venueIn' },
  { stage: 'venue', label: 'venue', hop: false, from: 'venueIn', to: 'venueAck' },
];

/**
 * Seconds spent in each stage (ORDER_PATH_STAGES order) written into `out`, NaN where a stamp is missing;
 * returns tick-to-trade (tick published -> venue ack) or NaN. `out` is reused by callers on the hot path.
 */
export function orderPathSeconds(s: OrderStamps, out: Float64Array): number {
  for (let i = 0; i < ORDER_PATH_STAGES.length; i++) {
    const { from, to } = ORDER_PATH_STAGES[i]!;
    const a = s[from];
    const b = s[to];
    out[i] = a === undefined || b === undefined ? Number.NaN : Number(b - a) / 1e9;
  }
  return s.tickPublished === undefined || s.venueAck === undefined ? Number.NaN : Number(s.venueAck - s.tickPublished) / 1e9;
}
