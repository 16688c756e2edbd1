import { ORDER_PATH_STAGES, orderPathSeconds, type OrderAccepted } from '@hft/messages';
import { histogram, LATENCY_BUCKETS } from '@hft/metrics';

/**
 * The latency waterfall of each order, from the stamps its ack carries back on the order-event stream
 * (every hop stamps it on one host clock), plus the last stage: the venue's ack to this process.
 */
export class Waterfall {
  private readonly h = histogram({ name: 'hft_order_path_seconds', help: 'Latency of each stage of the order path (tick published -> venue ack -> ack at the strategy), from the stamps every hop puts on the order', labelNames: ['stage'], buckets: LATENCY_BUCKETS });
  private readonly seconds = new Float64Array(ORDER_PATH_STAGES.length);

  constructor() {
    for (const { stage } of ORDER_PATH_STAGES) this.h.zero({ stage });
    for (const stage of ['ack_to_strategy', 'tick_to_trade']) this.h.zero({ stage });
  }

  observe(e: OrderAccepted, receivedAt: bigint): void {
    const s = e.stamps;
    if (!s) return;
    const total = orderPathSeconds(s, this.seconds);
    ORDER_PATH_STAGES.forEach(({ stage }, i) => {
      if (!Number.isNaN(this.seconds[i]!)) this.h.observe({ stage }, this.seconds[i]!);
    });
    if (s.venueAck !== undefined) this.h.observe({ stage: 'ack_to_strategy' }, Number(receivedAt - s.venueAck) / 1e9);
    if (!Number.isNaN(total)) this.h.observe({ stage: 'tick_to_trade' }, total);
  }
}
