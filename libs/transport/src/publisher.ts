import { XPublisher } from 'zeromq';
import { READY_PREFIX } from '@hft/messages';
import { ERR_BIND } from './errors.js';
import { SendQueue, type Frames } from './send-queue.js';

export interface PublisherOptions {
  stream: string;
  endpoint: string;
  /** Messages the socket buffers per subscriber before refusing (counted as `hwm` drops). */
  highWaterMark?: number;
  /** Local queue in front of the socket. */
  queueCapacity?: number;
  /** ms to keep flushing on close. */
  linger?: number;
}

/**
 * Broadcast publisher on an XPUB socket. Two things a plain PUB cannot do:
 * - drops at the high-water mark are reported (noDrop + zero send timeout => EAGAIN) and counted,
 *   instead of vanishing silently;
 * - it sees subscriptions arrive, so `waitForConsumers` is a readiness handshake: a consumer names
 *   itself with `topics.ready(name)` after its topics, and a replay waits for those names instead of
 *   losing the first ticks. (A count of subscriptions cannot stand in: two consumers of one prefix,
 *   or one with several topics, are indistinguishable from the right number of consumers.)
 */
export class Publisher {
  private readonly sock: XPublisher;
  private readonly queue: SendQueue;
  private readonly subs = new Map<string, number>();
  /** Consumers that named themselves (a count each: a restarted one may overlap its old connection). */
  private readonly ready = new Map<string, number>();
  private waiters: (() => void)[] = [];

  constructor(readonly opts: PublisherOptions) {
    this.sock = new XPublisher({
      sendHighWaterMark: opts.highWaterMark ?? 100_000,
      noDrop: true,
      sendTimeout: 0,
      linger: opts.linger ?? 500,
    });
    this.sock.verbosity = 'allSubsUnsubs';
    this.queue = new SendQueue(this.sock, opts.stream, opts.queueCapacity ?? 100_000);
  }

  async bind(): Promise<void> {
    try {
      await this.sock.bind(this.opts.endpoint);
    } catch (e) {
      throw ERR_BIND(this.opts.stream, this.opts.endpoint, (e as Error).message);
    }
    void this.watchSubscriptions();
  }

  /** Queue `[topic, ...body]`; false if the local queue is full (counted). */
  publish(topic: string, ...body: (Buffer | string)[]): boolean {
    return this.queue.push([topic, ...body] as Frames);
  }

  get queueDepth(): number {
    return this.queue.depth;
  }

  /** Subscriptions covering `topic` (summed over several topics when given a list). */
  subscriberCount(topic: string | readonly string[]): number {
    let n = 0;
    for (const t of typeof topic === 'string' ? [topic] : topic) for (const [prefix, count] of this.subs) if (t.startsWith(prefix)) n += count;
    return n;
  }

  /** Resolve true once at least `count` subscriptions cover `topic`, false after `timeoutMs`. */
  async waitForSubscribers(topic: string | readonly string[], count: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.subscriberCount(topic) < count) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.nextSubscription(left);
    }
    return true;
  }

  /** Of `names`, the consumers that have not named themselves yet. */
  missingConsumers(names: readonly string[]): string[] {
    return names.filter((n) => !this.ready.has(n));
  }

  /** Wait until every consumer in `names` has subscribed its topics and named itself; the ones still missing after `timeoutMs`. */
  async waitForConsumers(names: readonly string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const missing = this.missingConsumers(names);
      const left = deadline - Date.now();
      if (missing.length === 0 || left <= 0) return missing;
      await this.nextSubscription(left);
    }
  }

  private nextSubscription(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  /** The endpoint actually bound (resolves `tcp://127.0.0.1:*` to the chosen port). */
  get boundEndpoint(): string {
    return this.sock.lastEndpoint ?? this.opts.endpoint;
  }

  async close(): Promise<void> {
    await this.queue.drain();
    this.queue.close();
    this.sock.close();
  }

  private async watchSubscriptions(): Promise<void> {
    try {
      for await (const [msg] of this.sock) {
        if (!msg || msg.length === 0) continue;
        const topic = msg.subarray(1).toString();
        const delta = msg[0] === 1 ? 1 : msg[0] === 0 ? -1 : 0;
        if (delta === 0) continue;
        const [map, key] = topic.startsWith(READY_PREFIX) ? [this.ready, topic.slice(READY_PREFIX.length)] : [this.subs, topic];
        const n = (map.get(key) ?? 0) + delta;
        if (n > 0) map.set(key, n);
        else map.delete(key);
        for (const w of this.waiters.splice(0)) w();
      }
    } catch {
      // Socket closed: nothing left to watch.
    }
  }
}
