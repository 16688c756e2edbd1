import type { Logger } from '@hft/logging';
import { envelope, type OrderStatusReported, type VenueReport } from '@hft/messages';
import type { ManagedOrder, VenueCommand } from '@hft/orders';
import { CommandClient, ERR_RPC_TIMEOUT } from '@hft/transport';

/**
 * The OMS's end of the venue socket: commands out (queued, never dropped while the venue is away),
 * execution reports in, status queries matched to their answers by causationId. The identity is
 * fixed so the venue keeps reporting to a restarted OMS.
 */
export class VenueGateway {
  private readonly client: CommandClient<'venue'>;
  private readonly pending = new Map<string, { resolve: (r: OrderStatusReported) => void; timer: NodeJS.Timeout }>();

  constructor(endpoint: string, log: Logger, onReport: (r: VenueReport) => void) {
    this.client = new CommandClient('venue', { endpoint, log, identity: 'oms' });
    this.client.start((msg) => {
      if (msg.type !== 'OrderStatusReported') return onReport(msg);
      const p = msg.causationId ? this.pending.get(msg.causationId) : undefined;
      if (!p) return;
      this.pending.delete(msg.causationId!);
      clearTimeout(p.timer);
      p.resolve(msg);
    });
  }

  send(cmd: VenueCommand): boolean {
    return this.client.send(cmd);
  }

  query(o: ManagedOrder, timeoutMs = 2000): Promise<OrderStatusReported> {
    const q = { type: 'QueryOrderStatus' as const, ...envelope(), orderId: o.orderId!, strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(q.eventId);
        reject(ERR_RPC_TIMEOUT('venue', 'QueryOrderStatus', timeoutMs));
      }, timeoutMs);
      this.pending.set(q.eventId, { resolve, timer });
      if (!this.client.send(q)) {
        clearTimeout(timer);
        this.pending.delete(q.eventId);
        reject(new Error('venue queue full'));
      }
    });
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    await this.client.close();
  }
}
