import { decodeMessage, encodeMessage, type Message, type MessageInput, type MessageType } from '@hft/messages';
import { DealerClient } from './dealer-client.js';
import { ERR_RPC_TIMEOUT } from './errors.js';

interface Pending {
  resolve: (m: Message) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Concurrent request/reply over DEALER (REQ is strict lockstep): replies are matched to requests by
 * `causationId === request.eventId`, so many checks can be in flight at once.
 */
export class RpcClient {
  private readonly dealer: DealerClient;
  private readonly pending = new Map<string, Pending>();
  /** Replies that matched no pending request (late after a timeout, or garbage). */
  unmatched = 0;

  constructor(stream: string, endpoint: string) {
    this.dealer = new DealerClient({ stream, endpoint, linger: 0 });
  }

  start(): void {
    this.dealer.start((body) => {
      const r = decodeMessage(body);
      const id = r.ok ? r.value.causationId : null;
      const p = id ? this.pending.get(id) : undefined;
      if (!r.ok || !p) {
        this.unmatched++;
        return;
      }
      this.pending.delete(id!);
      clearTimeout(p.timer);
      p.resolve(r.value);
    });
  }

  request<T extends MessageType>(msg: MessageInput<T> & { eventId: string }, timeoutMs = 2000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(msg.eventId);
        reject(ERR_RPC_TIMEOUT(this.dealer.opts.stream, msg.type, timeoutMs));
      }, timeoutMs);
      this.pending.set(msg.eventId, { resolve, reject, timer });
      this.dealer.send(encodeMessage(msg));
    });
  }

  async close(): Promise<void> {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('rpc client closed'));
    }
    this.pending.clear();
    await this.dealer.close();
  }
}
