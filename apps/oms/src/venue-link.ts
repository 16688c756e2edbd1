import { decodeMessage, encodeMessage, envelope, type MessageInput, type OrderStatusReported } from '@hft/messages';
import { DealerClient, ERR_RPC_TIMEOUT } from '@hft/transport';
import type { OrderRecord } from './order-state.js';

/**
 * The OMS side of the venue link: commands out on a DEALER (queued, never dropped), status queries
 * answered on the same socket and matched by causationId.
 */
export class VenueLink {
  private readonly dealer: DealerClient;
  private readonly pending = new Map<string, { resolve: (r: OrderStatusReported) => void; timer: NodeJS.Timeout }>();

  constructor(endpoint: string, identity: string, onUnexpected: (body: Buffer) => void) {
    this.dealer = new DealerClient({ stream: 'venue', endpoint, identity });
    this.dealer.start((body) => {
      const r = decodeMessage(body, ['OrderStatusReported']);
      const p = r.ok && r.value.causationId ? this.pending.get(r.value.causationId) : undefined;
      if (!r.ok || !p) return onUnexpected(body);
      this.pending.delete(r.value.causationId!);
      clearTimeout(p.timer);
      p.resolve(r.value);
    });
  }

  send(msg: MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'>): boolean {
    return this.dealer.trySend(encodeMessage(msg));
  }

  query(o: OrderRecord, timeoutMs = 2000): Promise<OrderStatusReported> {
    const q: MessageInput<'QueryOrderStatus'> = { type: 'QueryOrderStatus', ...envelope(), orderId: o.orderId, strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(q.eventId);
        reject(ERR_RPC_TIMEOUT('venue', 'QueryOrderStatus', timeoutMs));
      }, timeoutMs);
      this.pending.set(q.eventId, { resolve, timer });
      if (!this.dealer.trySend(encodeMessage(q))) {
        clearTimeout(timer);
        this.pending.delete(q.eventId);
        reject(new Error('venue queue full'));
      }
    });
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    await this.dealer.close();
  }
}
