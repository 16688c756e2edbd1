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

export type Sent = MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'>;

export function host(id: string, s: Strategy): { h: StrategyHost; sent: Sent[]; logs: string[] } {
  const sent: Sent[] = [];
  const logs: string[] = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => logs.push(b.toString()));
  const h = new StrategyHost({ instruments, log: createLogger({ daemon: 'test', destination: out }), send: (c) => (sent.push(c), true), run: 'r' });
  h.add(id, s);
  return { h, sent, logs };
}

export function book(symbol: string, at: bigint, bids: [number, number][], asks: [number, number][]): BookSnapshot {
  const lv = ([price, qty]: [number, number]) => ({ price, qty, priceUnits: Math.round(price * 100), qtyUnits: qty });
  return { symbol, seq: 1, tsEvent: at, tsPublish: at + 1000n, priceExponent: -2, qtyExponent: 0, bids: bids.map(lv), asks: asks.map(lv) };
}

export function trade(symbol: string, at: bigint, price: number, qty: number, aggressor: Aggressor = Aggressor.Buyer): Tick {
  return { symbol, seq: 1, tsEvent: at, kind: TickKind.Trade, aggressor, price, qty, priceUnits: Math.round(price * 100), qtyUnits: qty };
}

/** What the strategy sent, compactly: "buy 100 @ 99.99 post" / "cancel <id>". */
export function describe(s: Sent): string {
  if (s.type === 'CancelOrder') return `cancel ${s.clientOrderId}`;
  return `${s.side} ${s.quantity} @ ${s.price ?? 'mkt'}${s.timeInForce === 'ioc' ? ' ioc' : ''}${s.postOnly ? ' post' : ''}`;
}

let exec = 0;
/** Feed back a fill for a sent order, as the venue would. */
export function fill(h: StrategyHost, order: Sent, qty: number, px: number, leaves: number, cum = qty): void {
  if (order.type !== 'SubmitOrder') throw new Error('not an order');
  h.onReport({
    type: 'OrderFilled',
    ...envelope(),
    strategyId: order.strategyId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    orderId: 1000 + exec,
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
  h.onReport({ type: 'OrderAccepted', ...envelope(), strategyId: order.strategyId, clientOrderId: order.clientOrderId, symbol: order.symbol, orderId: 500 + exec++, side: order.side, price: order.price ?? null, quantity: order.quantity, tsTick: null } as never);
}

export function canceled(h: StrategyHost, clientOrderId: string, symbol = 'AAPL'): void {
  h.onReport({ type: 'OrderCanceled', ...envelope(), strategyId: 'mm', clientOrderId, symbol, orderId: 1, canceledQty: 0, cumQty: 0, reason: 'strategy' } as never);
}
