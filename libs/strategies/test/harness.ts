import { PassThrough } from 'node:stream';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { Aggressor, envelope, TickKind, type BookSnapshot, type MessageInput, type Tick } from '@hft/messages';
import { join } from 'node:path';
import { StrategyHost, type Strategy } from '../src/index.js';

export const T0 = 1772461800_000_000_000n;
export const ms = (n: number): bigint => T0 + BigInt(n) * 1_000_000n;
const cfg = loadConfig({ path: join(workspaceRoot(), 'config', 'platform.toml'), env: {} });
export const instruments = InstrumentRegistry.fromConfig(cfg);

export type Sent = MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'> | MessageInput<'ReplaceOrder'>;
export type SentConditional = MessageInput<'PlaceConditionalOrder'> | MessageInput<'CancelConditionalOrder'>;

export function host(id: string, s: Strategy): { h: StrategyHost; sent: Sent[]; logs: string[] } {
  return hostWith(id, s, 0);
}

/** A host whose orders with no outcome are voided after `ackTimeoutMs` (wall time; 0: never). */
export function hostWith(id: string, s: Strategy, ackTimeoutMs: number): { h: StrategyHost; sent: Sent[]; conditional: SentConditional[]; logs: string[] } {
  const sent: Sent[] = [];
  const conditional: SentConditional[] = [];
  const logs: string[] = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => logs.push(b.toString()));
  const h = new StrategyHost({ instruments, log: createLogger({ daemon: 'test', destination: out }), send: (c) => (c.type === 'PlaceConditionalOrder' || c.type === 'CancelConditionalOrder' ? conditional.push(c) : sent.push(c), true), run: 'r', ackTimeoutMs });
  h.add(id, s);
  return { h, sent, conditional, logs };
}

export function book(symbol: string, at: bigint, bids: [number, number][], asks: [number, number][]): BookSnapshot {
  const lv = ([price, qty]: [number, number]) => ({ price, qty, priceUnits: Math.round(price * 100), qtyUnits: qty });
  return { symbol, seq: 1, tsEvent: at, tsPublish: at + 1000n, priceExponent: -2, qtyExponent: 0, bids: bids.map(lv), asks: asks.map(lv) };
}

export function trade(symbol: string, at: bigint, price: number, qty: number, aggressor: Aggressor = Aggressor.Buyer): Tick {
  return { symbol, seq: 1, tsEvent: at, kind: TickKind.Trade, aggressor, price, qty, priceUnits: Math.round(price * 100), qtyUnits: qty };
}

/** What the strategy sent, compactly: "buy 100 @ 99.99 post" / "cancel <id>" / "replace <id> 100 @ 99.98". */
export function describe(s: Sent): string {
  if (s.type === 'CancelOrder') return `cancel ${s.clientOrderId}`;
  if (s.type === 'ReplaceOrder') return `replace ${s.clientOrderId} ${s.quantity} @ ${s.price}`;
  return `${s.side} ${s.quantity} @ ${s.price ?? 'mkt'}${s.timeInForce === 'ioc' ? ' ioc' : ''}${s.postOnly ? ' post' : ''}`;
}

let exec = 0;
let nextOrderId = 1000;
const orderIds = new Map<string, number>();
const seqs = new Map<string, number>();
const next = (strategyId: string): number => {
  const n = (seqs.get(strategyId) ?? 0) + 1;
  seqs.set(strategyId, n);
  return n;
};

/** The OMS's OrderSubmitted for a sent order (once): it gives the order its orderId. */
export function submitted(h: StrategyHost, order: Sent): number {
  if (order.type !== 'SubmitOrder') throw new Error('not an order');
  let id = orderIds.get(order.clientOrderId);
  if (id !== undefined) return id;
  id = ++nextOrderId;
  orderIds.set(order.clientOrderId, id);
  const { type: _t, eventId: _e, tsInit: _i, causationId: _c, ...fields } = order;
  h.onOrderEvent({ ...fields, type: 'OrderSubmitted', ...envelope(), seq: next(order.strategyId), postOnly: order.postOnly ?? false, orderId: id } as never);
  return id;
}

/** Feed back a fill for a sent order, as the OMS stream would. */
export function fill(h: StrategyHost, order: Sent, qty: number, px: number, leaves: number, cum = qty): void {
  if (order.type !== 'SubmitOrder') throw new Error('not an order');
  const orderId = submitted(h, order);
  h.onOrderEvent({
    type: 'OrderFilled',
    ...envelope(),
    seq: next(order.strategyId),
    strategyId: order.strategyId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    orderId,
    execId: `E${++exec}`,
    side: order.side,
    lastPx: px,
    lastQty: qty,
    cumQty: cum,
    leavesQty: leaves,
    avgPx: px,
    liquidity: 'maker',
    fee: 0,
    tsTick: null,
  } as never);
}

export function accept(h: StrategyHost, order: Sent): void {
  if (order.type !== 'SubmitOrder') throw new Error('not an order');
  const orderId = submitted(h, order);
  h.onOrderEvent({ type: 'OrderAccepted', ...envelope(), seq: next(order.strategyId), strategyId: order.strategyId, clientOrderId: order.clientOrderId, symbol: order.symbol, orderId, side: order.side, price: order.price ?? null, quantity: order.quantity, tsTick: null } as never);
}

export function canceled(h: StrategyHost, clientOrderId: string, symbol = 'AAPL', strategyId = 'mm'): void {
  h.onOrderEvent({ type: 'OrderCanceled', ...envelope(), seq: next(strategyId), strategyId, clientOrderId, symbol, orderId: orderIds.get(clientOrderId) ?? 1, canceledQty: 0, cumQty: 0, reason: 'strategy' } as never);
}
