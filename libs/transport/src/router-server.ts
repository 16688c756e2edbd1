import { Router } from 'zeromq';
import { ERR_BIND } from './errors.js';
import { SendQueue } from './send-queue.js';
import { receiveLoop } from './receive-loop.js';

export interface RouterServerOptions {
  stream: string;
  endpoint: string;
  highWaterMark?: number;
  queueCapacity?: number;
  linger?: number;
  /** A client reconnecting under an identity already connected takes it over (a restarted peer with a fixed identity). */
  handover?: boolean;
  onHandlerError?: (e: unknown) => void;
}

/** Called with the peer identity and the message body (single JSON frame on our command streams). */
export type RouterHandler = (peer: Buffer, body: Buffer, frames: Buffer[]) => void;

/**
 * Server side of a command stream or RPC endpoint: many DEALER (or REQ) clients, replies routed back
 * by identity. Unroutable replies (peer gone) are counted, not silently lost (ROUTER_MANDATORY).
 */
export class RouterServer {
  private readonly sock: Router;
  private readonly queue: SendQueue;
  private running: Promise<void> | null = null;

  constructor(readonly opts: RouterServerOptions) {
    this.sock = new Router({
      receiveHighWaterMark: opts.highWaterMark ?? 100_000,
      sendHighWaterMark: opts.highWaterMark ?? 100_000,
      mandatory: true,
      handover: opts.handover ?? false,
      linger: opts.linger ?? 1000,
    });
    this.queue = new SendQueue(this.sock, opts.stream, opts.queueCapacity ?? 100_000);
  }

  async start(handler: RouterHandler): Promise<void> {
    try {
      await this.sock.bind(this.opts.endpoint);
    } catch (e) {
      throw ERR_BIND(this.opts.stream, this.opts.endpoint, (e as Error).message);
    }
    // DEALER sends [id, body]; REQ sends [id, '', body]. The body is the last frame.
    this.running = receiveLoop(this.sock, this.opts.stream, (frames) => handler(frames[0]!, frames[frames.length - 1]!, frames), this.opts.onHandlerError);
  }

  /** Reply to a peer. REQ peers need the empty delimiter frame: pass `viaReq`. */
  send(peer: Buffer, body: Buffer | string, viaReq = false): boolean {
    return this.queue.push(viaReq ? [peer, '', body] : [peer, body]);
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
    await this.running?.catch(() => {});
  }
}
