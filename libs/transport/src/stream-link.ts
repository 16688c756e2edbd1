import type { Logger } from 'pino';
import { wire, type StreamContract, type StreamMessage, type StreamName } from '@hft/messages';
import { FrameGuard } from './frame-guard.js';
import { GapMonitor } from './gap-monitor.js';
import { BULK_YIELD_EVERY } from './receive-loop.js';
import { Subscriber } from './subscriber.js';

export interface StreamLinkOptions {
  endpoint: string;
  /** Exact topics, or dotted prefixes ending in "." (e.g. "md.tick."). */
  topics: readonly string[];
  log: Logger;
  highWaterMark?: number;
  /** Name this consumer to the publisher after its topics (see `Publisher.waitForConsumers`). */
  consumer?: string;
}

/** Called with each decoded message; `missed` is how many messages of its sequence were lost before it. */
export type StreamHandler<T> = (msg: T, topic: string, missed: number) => void;

/**
 * A subscription to one stream of the wire contract: SUB socket, decoding by the contract, malformed
 * frames dropped and counted (hft_messages_dropped_total), sequence gaps counted per key
 * (hft_stream_gaps_total). A daemon declares what it listens to; nothing is wired by hand.
 */
export class StreamLink<K extends StreamName> {
  private readonly sub: Subscriber;
  private readonly guard: FrameGuard;
  private readonly gaps: GapMonitor;
  private readonly contract: StreamContract<StreamMessage<K>>;

  constructor(
    readonly name: K,
    o: StreamLinkOptions,
  ) {
    this.contract = wire[name] as unknown as StreamContract<StreamMessage<K>>;
    this.guard = new FrameGuard(name, o.log);
    this.gaps = new GapMonitor([name]);
    this.sub = new Subscriber({
      stream: name,
      endpoint: o.endpoint,
      topics: o.topics,
      ...(o.highWaterMark ? { highWaterMark: o.highWaterMark } : {}),
      ...(o.consumer ? { consumer: o.consumer } : {}),
      yieldEvery: this.contract.bulk ? BULK_YIELD_EVERY : 0,
      onBadFrames: (frames) => this.guard.reject({ ok: false, reason: 'bad_frames', detail: `${frames.length} frames, expected [topic, body]` }),
    });
  }

  start(handler: StreamHandler<StreamMessage<K>>): this {
    this.sub.start((topic, [body]) => {
      const msg = this.guard.accept(this.contract.decode(body!), { topic });
      if (msg === undefined) return;
      let missed = 0;
      for (const [key, seq] of this.contract.sequence(msg, topic)) missed += this.gaps.see(this.name, key, seq);
      handler(msg, topic, missed);
    });
    return this;
  }

  /** Add a topic while running. */
  subscribe(topic: string): void {
    this.sub.subscribe(topic);
  }

  close(): Promise<void> {
    return this.sub.close();
  }
}
