import type { Logger } from 'pino';
import { encodeMessage, wire, type CommandName, type Message, type MessageInput } from '@hft/messages';
import { DealerClient } from './dealer-client.js';
import { FrameGuard } from './frame-guard.js';
import { RouterServer } from './router-server.js';

type Contract<K extends CommandName> = (typeof wire)[K];
/** Client -> owner messages of a command socket. */
export type ToOwner<K extends CommandName> = Contract<K>['toOwner'][number];
/** Owner -> client messages of a command socket. */
export type ToClient<K extends CommandName> = Contract<K>['toClients'][number];
type Received<T extends string> = Extract<Message, { type: T }>;
type Sent<T extends string> = T extends Message['type'] ? MessageInput<T> : never;

/**
 * The owner's end of a command socket of the wire contract (ROUTER): it accepts exactly the contract's
 * client -> owner types (anything else is dropped and counted) and replies with its owner -> client types.
 */
export class CommandServer<K extends CommandName> {
  private readonly router: RouterServer;
  private readonly guard: FrameGuard;

  constructor(
    readonly name: K,
    o: { endpoint: string; log: Logger; handover?: boolean },
  ) {
    this.guard = new FrameGuard(name, o.log);
    this.router = new RouterServer({ stream: name, endpoint: o.endpoint, ...(o.handover ? { handover: true } : {}) });
  }

  /** `viaReq`: the client is a REQ socket (its reply needs the empty delimiter frame). */
  async start(handler: (peer: Buffer, msg: Received<ToOwner<K>>, viaReq: boolean) => void): Promise<this> {
    const accepts = wire[this.name].toOwner as readonly ToOwner<K>[];
    await this.router.start((peer, body, frames) => {
      const msg = this.guard.json(body, accepts);
      if (msg) handler(peer, msg as Received<ToOwner<K>>, frames.length === 3);
    });
    return this;
  }

  reply(peer: Buffer, msg: Sent<ToClient<K>>, viaReq = false): boolean {
    return this.router.send(peer, encodeMessage(msg as never), viaReq);
  }

  get boundEndpoint(): string {
    return this.router.boundEndpoint;
  }

  close(): Promise<void> {
    return this.router.close();
  }
}

/**
 * A client's end of a command socket (DEALER): sends the contract's client -> owner types, queued and
 * never dropped while the owner is away; receives its owner -> client types.
 */
export class CommandClient<K extends CommandName> {
  private readonly dealer: DealerClient;
  private readonly guard: FrameGuard;

  constructor(
    readonly name: K,
    o: { endpoint: string; log: Logger; identity?: string; queueCapacity?: number },
  ) {
    this.guard = new FrameGuard(name, o.log);
    this.dealer = new DealerClient({ stream: name, endpoint: o.endpoint, ...(o.identity ? { identity: o.identity } : {}), ...(o.queueCapacity ? { queueCapacity: o.queueCapacity } : {}) });
  }

  start(handler?: (msg: Received<ToClient<K>>) => void): this {
    const accepts = wire[this.name].toClients as readonly ToClient<K>[];
    this.dealer.start(
      handler
        ? (body) => {
            const msg = this.guard.json(body, accepts);
            if (msg) handler(msg as Received<ToClient<K>>);
          }
        : undefined,
    );
    return this;
  }

  /** Queue one message; false when the local queue is full (counted in hft_zmq_send_dropped_total). */
  send(msg: Sent<ToOwner<K>>): boolean {
    return this.dealer.trySend(encodeMessage(msg as never));
  }

  get queueDepth(): number {
    return this.dealer.queueDepth;
  }

  close(): Promise<void> {
    return this.dealer.close();
  }
}
