import type { OrderRecord } from './order-state.js';

/** Open orders in memory, by order id and by (strategy, clientOrderId). */
export class OrderRegistry {
  private readonly byId = new Map<number, OrderRecord>();
  private readonly byClient = new Map<string, OrderRecord>();

  private static key(strategyId: string, clientOrderId: string): string {
    return `${strategyId}\u0000${clientOrderId}`;
  }

  add(o: OrderRecord): void {
    this.byId.set(o.orderId, o);
    this.byClient.set(OrderRegistry.key(o.strategyId, o.clientOrderId), o);
  }

  remove(o: OrderRecord): void {
    this.byId.delete(o.orderId);
    this.byClient.delete(OrderRegistry.key(o.strategyId, o.clientOrderId));
  }

  get(orderId: number): OrderRecord | undefined {
    return this.byId.get(orderId);
  }

  byClientId(strategyId: string, clientOrderId: string): OrderRecord | undefined {
    return this.byClient.get(OrderRegistry.key(strategyId, clientOrderId));
  }

  get size(): number {
    return this.byId.size;
  }

  all(): OrderRecord[] {
    return [...this.byId.values()];
  }
}
