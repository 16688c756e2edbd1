import type { Order } from './order.js';

const key = (strategyId: string, clientOrderId: string): string => `${strategyId}\u0000${clientOrderId}`;

/** Open orders by orderId and by (strategy, clientOrderId). A finished order is removed. */
export class OrderRegistry<O extends Order = Order> {
  private readonly byId = new Map<number, O>();
  private readonly byClient = new Map<string, O>();

  add(o: O): void {
    if (o.orderId !== null) this.byId.set(o.orderId, o);
    this.byClient.set(key(o.strategyId, o.clientOrderId), o);
  }

  /** Index an order under the orderId it has just been given. */
  identified(o: O): void {
    if (o.orderId !== null) this.byId.set(o.orderId, o);
  }

  remove(o: O): void {
    if (o.orderId !== null && this.byId.get(o.orderId) === o) this.byId.delete(o.orderId);
    const k = key(o.strategyId, o.clientOrderId);
    if (this.byClient.get(k) === o) this.byClient.delete(k);
  }

  get(orderId: number): O | undefined {
    return this.byId.get(orderId);
  }

  byClientId(strategyId: string, clientOrderId: string): O | undefined {
    return this.byClient.get(key(strategyId, clientOrderId));
  }

  get size(): number {
    return this.byClient.size;
  }

  /** Oldest first. */
  all(filter?: (o: O) => boolean): O[] {
    const out: O[] = [];
    for (const o of this.byClient.values()) if (!filter || filter(o)) out.push(o);
    return out;
  }
}
