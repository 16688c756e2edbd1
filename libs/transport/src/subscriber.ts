import { Subscriber as ZmqSubscriber } from 'zeromq';
import { topicMatches, topics as wireTopics } from '@hft/messages';
import { receiveLoop } from './receive-loop.js';

export interface SubscriberOptions {
  stream: string;
  endpoint: string;
  /** Exact topics, or dotted prefixes ending in "." (e.g. "md.tick."). */
  topics: readonly string[];
  highWaterMark?: number;
  /** Called for frames that are not `[topic, body...]` with `expectedBodyFrames` bodies. */
  onBadFrames?: (frames: Buffer[]) => void;
  /** Body frames expected after the topic (default 1). */
  expectedBodyFrames?: number;
  /** A handler threw: the stream keeps going; this reports it (counted in hft_handler_errors_total). */
  onHandlerError?: (e: unknown) => void;
  /** Return to the event loop after this many messages in a row (bulk streams; 0 = never). */
  yieldEvery?: number;
  /** Name this consumer to the publisher once its topics are subscribed (`topics.ready`), so a replay can wait for it. */
  consumer?: string;
}

export type TopicHandler = (topic: string, body: Buffer[]) => void;

/**
 * SUB socket with exact topic matching (ZeroMQ matches by prefix) and a receive loop that never lets a
 * handler exception kill the stream: the handler is the place to count and log bad input.
 */
export class Subscriber {
  private readonly sock: ZmqSubscriber;
  private running: Promise<void> | null = null;

  constructor(readonly opts: SubscriberOptions) {
    this.sock = new ZmqSubscriber({ receiveHighWaterMark: opts.highWaterMark ?? 100_000, linger: 0 });
  }

  start(handler: TopicHandler): void {
    this.sock.connect(this.opts.endpoint);
    for (const t of this.opts.topics) this.sock.subscribe(t);
    // Last: the publisher sees the name only after every topic before it on this connection.
    if (this.opts.consumer) this.sock.subscribe(wireTopics.ready(this.opts.consumer));
    this.running = receiveLoop(this.sock, this.opts.stream, (frames) => this.dispatch(frames, handler), this.opts.onHandlerError, this.opts.yieldEvery ?? 0);
  }

  /** Add a topic while running. */
  subscribe(topic: string): void {
    (this.opts.topics as string[]).push(topic);
    this.sock.subscribe(topic);
  }

  private dispatch(frames: Buffer[], handler: TopicHandler): void {
    if (frames.length !== 1 + (this.opts.expectedBodyFrames ?? 1)) {
      this.opts.onBadFrames?.(frames);
      return;
    }
    const topic = frames[0]!.toString();
    if (topicMatches(topic, this.opts.topics)) handler(topic, frames.slice(1));
  }

  async close(): Promise<void> {
    this.sock.close();
    await this.running?.catch(() => {});
  }
}
