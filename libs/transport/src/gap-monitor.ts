import { counter } from '@hft/metrics';
import { SequenceTracker } from '@hft/messages';

/**
 * Sequence checking for the broadcast streams a daemon consumes: each gap (messages lost at a PUB
 * high-water mark) is counted in hft_stream_gaps_total{stream}. Returns the number missed.
 */
export class GapMonitor {
  private readonly seq = new SequenceTracker();
  private readonly gaps = counter({ name: 'hft_stream_gaps_total', help: 'Sequence gaps seen on broadcast streams (messages lost at a high-water mark)', labelNames: ['stream'] });

  constructor(streams: readonly string[]) {
    for (const stream of streams) this.gaps.inc({ stream }, 0);
  }

  /** `key` identifies one sequence within the stream (a symbol, a topic). */
  see(stream: string, key: string, seq: number): number {
    const missed = this.seq.see(`${stream}\u0000${key}`, seq);
    if (missed > 0) this.gaps.inc({ stream });
    return missed;
  }
}
