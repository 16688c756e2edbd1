import type { OrderAccepted, OrderStamps } from '@hft/messages';
import { histogram, LATENCY_BUCKETS } from '@hft/metrics';

/** The order path's stages, in order: from the stamp before to the stamp after (see OrderStamps). */
export const STAGES = [
  ['tick_to_strategy', 'tickPublished', 'strategyIn'],
  ['strategy', 'strategyIn', 'submitted'],
  ['strategy_to_risk', 'submitted', 'riskIn'],
  ['risk', 'riskIn', 'riskOut'],
  ['risk_to_oms', 'riskOut', 'omsIn'],
  ['oms', 'omsIn', 'omsOut'],
  ['oms_to_venue', 'omsOut', 'venueIn'],
  ['venue', 'venueIn', 'venueAck'],
] as const satisfies readonly (readonly [string, keyof OrderStamps, keyof OrderStamps])[];

/**
 * The latency waterfall of each order, from the stamps its ack carries back on the order-event stream
 * (every hop stamps it on one host clock), plus the last stage: the venue's ack to this process.
 */
export class Waterfall {
  private readonly h = histogram({ name: 'hft_order_path_seconds', help: 'Latency of each stage of the order path (tick published -> venue ack -> ack at the strategy), from the stamps every hop puts on the order', labelNames: ['stage'], buckets: LATENCY_BUCKETS });

  constructor() {
    for (const [stage] of STAGES) this.h.zero({ stage });
    for (const stage of ['ack_to_strategy', 'tick_to_trade']) this.h.zero({ stage });
  }

  observe(e: OrderAccepted, receivedAt: bigint): void {
    const s = e.stamps;
    if (!s) return;
    for (const [stage, from, to] of STAGES) {
      const a = s[from];
      const b = s[to];
      if (a !== undefined && b !== undefined) this.h.observe({ stage }, Number(b - a) / 1e9);
    }
    if (s.venueAck !== undefined) this.h.observe({ stage: 'ack_to_strategy' }, Number(receivedAt - s.venueAck) / 1e9);
    if (s.tickPublished !== undefined && s.venueAck !== undefined) this.h.observe({ stage: 'tick_to_trade' }, Number(s.venueAck - s.tickPublished) / 1e9);
  }
}
