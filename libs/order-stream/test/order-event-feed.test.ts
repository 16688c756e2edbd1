// The feed over a real ZeroMQ stream; the ledger side is the events the test published, served the
// way the OMS API serves them (by sequence, with the head).
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { encodeMessage, envelope, topics, type OrderEvent, type OrderEventPage, type StrategyState } from '@hft/messages';
import { until } from '@hft/testing';
import { Publisher } from '@hft/transport';
import { OrderEventFeed, type OrderStreamSource } from '../src/index.js';

const log = createLogger({ daemon: 'feed-test', level: 'silent' });
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const event = (strategyId: string, seq: number): OrderEvent => ({ type: 'OrderPendingCancel', ...envelope(), seq, strategyId, clientOrderId: `c${seq}`, symbol: 'AAPL', orderId: seq, reason: 'r' });

class Ledger implements OrderStreamSource {
  readonly streams = new Map<string, OrderEvent[]>();
  down = false;
  reads = 0;
  add(e: OrderEvent): void {
    const s = this.streams.get(e.strategyId) ?? [];
    s.push(e);
    this.streams.set(e.strategyId, s);
  }
  async events(strategyId: string, after: number, limit: number): Promise<OrderEventPage> {
    this.reads++;
    if (this.down) throw new Error('OMS unreachable');
    const all = this.streams.get(strategyId) ?? [];
    return { strategyId, head: all.length, events: all.filter((e) => e.seq! > after).slice(0, limit) };
  }
  async state(): Promise<StrategyState[]> {
    return [];
  }
}

async function rig(strategies: readonly string[] | 'all') {
  const pub = new Publisher({ stream: 'order_events', endpoint: 'tcp://127.0.0.1:*', linger: 0 });
  await pub.bind();
  closers.push(() => pub.close());
  const ledger = new Ledger();
  const got: string[] = [];
  const feed = new OrderEventFeed({ endpoint: pub.boundEndpoint, strategies, source: ledger, log, pageSize: 3, onEvent: (e) => got.push(`${e.strategyId}#${e.seq}`) });
  closers.push(() => feed.close());
  /** Ledgered; published unless `lost`. */
  const emit = (e: OrderEvent, lost = false) => {
    ledger.add(e);
    if (!lost) pub.publish(topics.orderEvents(e.strategyId), encodeMessage(e));
  };
  return { pub, ledger, got, feed, emit };
}

it('applies every event once and in order: gaps and a late start are read back by sequence', async () => {
  const r = await rig(['mm']);
  for (let i = 1; i <= 5; i++) r.ledger.add(event('mm', i));
  await r.feed.start(new Map([['mm', 2]]));
  expect(r.got).toEqual(['mm#3', 'mm#4', 'mm#5']);
  await until(async () => (await r.pub.waitForSubscribers(topics.orderEvents('mm'), 1, 100)) || undefined, 'subscribed');
  r.emit(event('mm', 6));
  r.emit(event('mm', 7), true);
  r.emit(event('mm', 8), true);
  const nine = event('mm', 9);
  r.emit(nine);
  r.pub.publish(topics.orderEvents('mm'), encodeMessage(nine));
  r.emit(event('other', 1));
  await until(() => r.got.length === 7 || undefined, 'all delivered');
  await r.feed.idle();
  expect(r.got).toEqual(['mm#3', 'mm#4', 'mm#5', 'mm#6', 'mm#7', 'mm#8', 'mm#9']);
  expect(r.feed.cursor('mm')).toBe(9);
});

it('notices a lost last event from the announced heads, and keeps retrying while the ledger is away', async () => {
  const r = await rig('all');
  await r.feed.start(new Map());
  await until(async () => (await r.pub.waitForSubscribers('orders.x', 1, 100)) || undefined, 'subscribed');
  r.emit(event('a', 1));
  await until(() => r.got.length === 1 || undefined, 'first');
  r.ledger.down = true;
  r.emit(event('a', 2), true);
  r.pub.publish(topics.orderHeads, encodeMessage({ type: 'OrderStreamHeads', ...envelope(), heads: { a: 2 } }));
  await until(() => (r.ledger.reads >= 2 && r.feed.behind().length === 1) || undefined, 'read attempts fail');
  expect(r.feed.behind()[0]!.detail).toMatch(/OMS unreachable/);
  r.ledger.down = false;
  await until(() => r.got.length === 2 || undefined, 'caught up');
  expect(r.got).toEqual(['a#1', 'a#2']);
  await r.feed.idle();
  expect(r.feed.behind()).toEqual([]);
});
