import { ORDER_PATH_STAGES, orderPathSeconds, type OrderStamps } from '@hft/messages';
import { LatencyView } from './latency-view.js';

export interface WaterfallStage {
  stage: string;
  label: string;
  hop: boolean;
  count: number;
  p50: number | null;
  p99: number | null;
  p999: number | null;
}

/** The order path's latency waterfall for the dashboard: recent percentiles of every stage, in path order. */
export class WaterfallView {
  private readonly views = ORDER_PATH_STAGES.map(() => new LatencyView(2000));
  private readonly seconds = new Float64Array(ORDER_PATH_STAGES.length);

  add(stamps: OrderStamps): void {
    orderPathSeconds(stamps, this.seconds);
    for (let i = 0; i < this.views.length; i++) if (!Number.isNaN(this.seconds[i]!)) this.views[i]!.add(this.seconds[i]!);
  }

  stages(): WaterfallStage[] {
    return ORDER_PATH_STAGES.map(({ stage, label, hop }, i) => {
      const { count, p50, p99, p999 } = this.views[i]!.percentiles();
      return { stage, label, hop, count, p50, p99, p999 };
    });
  }
}
