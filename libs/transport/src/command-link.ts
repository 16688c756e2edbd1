import { counter } from '@hft/metrics';
import type { Logger } from 'pino';
import { decodeMessage, encodeMessage, envelope, wire, type CommandName, type Drop, type Message, type MessageInput } from '@hft/messages';
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
 * client -> owner types and replies with its owner -> client types; anything else is counted as a drop
 * and answered with CommandRefused.
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
      const viaReq = frames.length === 3;
      const d = decodeMessage(body, accepts);
      if (d.ok) return handler(peer, d.value as Received<ToOwner<K>>, viaReq);
      // Counted and logged like any drop, and answered: the sender learns what was wrong.
      this.guard.reject(d, { peer: peer.toString('hex') });
      this.router.send(peer, encodeMessage(refusal(body, d)), viaReq);
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

/** CommandRefused for a frame that failed decoding, echoing what could be read of it (error path only). */
function refusal(body: Buffer, d: Drop): MessageInput<'CommandRefused'> {
  let raw: Record<string, unknown> = {};
  try {
    const v: unknown = body.byteLength <= 65_536 ? JSON.parse(body.toString('utf8')) : null;
    if (v && typeof v === 'object' && !Array.isArray(v)) raw = v as Record<string, unknown>;
  } catch {
    // Not JSON: nothing to echo.
  }
  const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : null);
  const id = str(raw['eventId']);
  return { type: 'CommandRefused', ...envelope(id ? { eventId: id } : null), refusedType: str(raw['type']), clientOrderId: str(raw['clientOrderId']), reason: d.reason, detail: d.detail.slice(0, 500) };
}

/**
 * A client's end of a command socket (DEALER): sends the contract's client -> owner types, queued and
 * never dropped while the owner is away; receives its owner -> client types.
 */
export class CommandClient<K extends CommandName> {
  private readonly dealer: DealerClient;
  private readonly guard: FrameGuard;
  private readonly log: Logger;
  private readonly refused = counter({ name: 'hft_commands_refused_total', help: 'Commands this process sent that the owner answered with CommandRefused, by socket and reason', labelNames: ['stream', 'reason'] });

  constructor(
    readonly name: K,
    o: { endpoint: string; log: Logger; identity?: string; queueCapacity?: number },
  ) {
    this.log = o.log;
    this.guard = new FrameGuard(name, o.log);
    this.dealer = new DealerClient({ stream: name, endpoint: o.endpoint, ...(o.identity ? { identity: o.identity } : {}), ...(o.queueCapacity ? { queueCapacity: o.queueCapacity } : {}) });
  }

  /** `handler` gets the owner's replies; a CommandRefused (our own command was malformed: a bug) is counted and logged here. */
  start(handler?: (msg: Received<Exclude<ToClient<K>, 'CommandRefused'>>) => void): this {
    const accepts = wire[this.name].toClients as readonly ToClient<K>[];
    this.dealer.start((body) => {
      const msg = this.guard.json(body, accepts) as Message | undefined;
      if (!msg) return;
      if (msg.type === 'CommandRefused') {
        const r = msg;
        this.refused.inc({ stream: this.name, reason: r.reason });
        this.log.error({ stream: this.name, refusedType: r.refusedType, clientOrderId: r.clientOrderId, reason: r.reason, detail: r.detail }, 'the owner refused a command we sent');
        return;
      }
      handler?.(msg as unknown as Received<Exclude<ToClient<K>, 'CommandRefused'>>);
    });
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
