import { Dealer } from 'zeromq';
import { ERR_QUEUE_FULL } from './errors.js';
import { SendQueue } from './send-queue.js';
import { receiveLoop } from './receive-loop.js';

export interface DealerClientOptions {
  stream: string;
  endpoint: string;
  /** Identity the server sees (e.g. the strategy daemon id); random if omitted. */
  identity?: string;
  highWaterMark?: number;
  queueCapacity?: number;
  linger?: number;
  onHandlerError?: (e: unknown) => void;
}

/**
 * Client side of a command stream: messages queue locally and in the socket until the server is up
 * (DEALER never drops), replies and events from the server arrive on the same socket.
 */
export class DealerClient {
  private readonly sock: Dealer;
  private readonly queue: SendQueue;
  private running: Promise<void> | null = null;

  constructor(readonly opts: DealerClientOptions) {
    this.sock = new Dealer({
      ...(opts.identity ? { routingId: opts.identity } : {}),
      sendHighWaterMark: opts.highWaterMark ?? 100_000,
      receiveHighWaterMark: opts.highWaterMark ?? 100_000,
      linger: opts.linger ?? 1000,
    });
    this.queue = new SendQueue(this.sock, opts.stream, opts.queueCapacity ?? 100_000);
  }

  /** Connect and start delivering incoming frames to `handler` (omit it for send-only use). */
  start(handler?: (body: Buffer, frames: Buffer[]) => void): void {
    this.sock.connect(this.opts.endpoint);
    if (handler) this.running = receiveLoop(this.sock, this.opts.stream, (frames) => handler(frames[frames.length - 1]!, frames), this.opts.onHandlerError);
  }

  /** Queue one message; false when the local queue is full (counted). */
  trySend(body: Buffer | string): boolean {
    return this.queue.push([body]);
  }

  /** Queue one message or throw HFT_SEND_QUEUE_FULL: for callers that must not lose it silently. */
  send(body: Buffer | string): void {
    if (!this.queue.push([body])) throw ERR_QUEUE_FULL(this.opts.stream, this.opts.queueCapacity ?? 100_000);
  }

  get queueDepth(): number {
    return this.queue.depth;
  }

  drain(): Promise<void> {
    return this.queue.drain();
  }

  async close(): Promise<void> {
    await this.queue.drain();
    this.queue.close();
    this.sock.close();
    await this.running?.catch(() => {});
  }
}
