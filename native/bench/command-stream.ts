import { CommandBatch } from '../src/command-batch.js';
import { OrderKind, Side } from '../src/layout.js';
import { rng } from './update-stream.js';

/**
 * Deterministic order flow for one book around a drifting mid: 60% passive limits, 15% marketable
 * limits, 5% IOC, 20% cancels of earlier orders. Returns batches of `batchSize` commands.
 */
export function commandBatches(total: number, batchSize: number, seed = 7): { batches: Float64Array[]; orders: number } {
  const r = rng(seed);
  const batches: Float64Array[] = [];
  const live: number[] = [];
  let id = 1;
  let mid = 100_000;
  let orders = 0;
  const b = new CommandBatch(batchSize);
  for (let i = 0; i < total; i++) {
    if (r() < 0.02) mid += r() < 0.5 ? -1 : 1;
    const u = r();
    if (u < 0.2 && live.length > 0) {
      const k = Math.floor(r() * live.length);
      b.cancel(0, live[k]!);
      live[k] = live[live.length - 1]!;
      live.pop();
    } else {
      const side = r() < 0.5 ? Side.Buy : Side.Sell;
      const aggressive = u > 0.8;
      const off = aggressive ? -Math.floor(r() * 3) : 1 + Math.floor(-Math.log(1 - r()) * 5);
      const price = side === Side.Buy ? mid - off : mid + off;
      const kind = u > 0.95 ? OrderKind.LimitIoc : OrderKind.LimitGtc;
      b.newOrder({ book: 0, orderId: id, side, kind, price, qty: 1 + Math.floor(r() * 100) });
      if (kind === OrderKind.LimitGtc) live.push(id);
      id++;
      orders++;
    }
    if (b.count === batchSize) {
      batches.push(b.view().slice());
      b.reset();
    }
  }
  if (b.count > 0) batches.push(b.view().slice());
  return { batches, orders };
}
