// Risk as it runs: real security, risk, OMS and execution processes (private ports, database, Redis
// prefix). The test plays market data (books) and a strategy (orders in, denials back), and watches
// the OMS's order-event stream.
import { createLogger } from '@hft/logging';
import { encodeBookSnapshot, encodeMessage, envelope, nowNs, topics, type Message, type MessageInput, type OptionChainSnapshot, type OrderEvent } from '@hft/messages';
import { startTestPlatform, until, type TestPlatform } from '@hft/testing';
import { CommandClient, Publisher, StreamLink } from '@hft/transport';

const log = createLogger({ daemon: 'risk-rig', level: 'silent' });

export interface RiskRig {
  P: TestPlatform;
  /** Every order event on the stream, and every denial risk sent back, in arrival order. */
  events: OrderEvent[];
  denials: Message[];
  /** performance.now() when each denial arrived. */
  deniedAt: number[];
  submit(o?: Partial<MessageInput<'SubmitOrder'>>): MessageInput<'SubmitOrder'>;
  /** Publish a book (AAPL unless named) with the given best bid/ask (dollars). */
  book(bid: number, ask: number, symbol?: string): void;
  /** Publish a chain snapshot as market-data would (md.chain.<UNDERLYING>). */
  chain(s: OptionChainSnapshot): void;
  api(method: string, path: string, token?: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

let n = 0;
export async function riskRig(env: Record<string, string> = {}): Promise<RiskRig> {
  const P = await startTestPlatform({ speed: 'max', only: ['security', 'oms', 'execution', 'risk'], env: { HFT__EXECUTION__LATENCY_MODEL: '"fixed"', HFT__EXECUTION__LATENCY_MIN_US: '0', HFT__EXECUTION__LATENCY_MAX_US: '0', ...env } });
  const e = P.cfg.endpoints;
  const books = new Publisher({ stream: 'books', endpoint: e.books.bind, linger: 0 });
  const analytics = new Publisher({ stream: 'analytics', endpoint: e.analytics.bind, linger: 0 });
  await books.bind();
  await analytics.bind();
  const events: OrderEvent[] = [];
  const denials: Message[] = [];
  const deniedAt: number[] = [];
  const stream = new StreamLink('order_events', { endpoint: e.order_events.connect, topics: ['orders.'], log }).start((m) => {
    if (m.type !== 'OrderStreamHeads' && !('conditionalId' in m)) events.push(m);
  });
  const strategy = new CommandClient('orders', { endpoint: e.orders.connect, log, identity: 'strategy-test' }).start((m) => {
    denials.push(m);
    deniedAt.push(performance.now());
  });
  // Risk and execution both take the book; wait until both have subscribed.
  await until(() => books.subscriberCount([topics.book('AAPL'), topics.bookSampled('AAPL')]) >= 2 || undefined, 'book subscribers', 20_000);
  const rig: RiskRig = {
    P,
    events,
    denials,
    deniedAt,
    submit(o = {}) {
      const msg: MessageInput<'SubmitOrder'> = { type: 'SubmitOrder', ...envelope(), strategyId: 'mm', clientOrderId: `t-${Date.now().toString(36)}-${++n}`, symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', price: 99, quantity: 10, tsTick: null, ...o };
      strategy.send(msg);
      return msg;
    },
    book(bid, ask, symbol = 'AAPL') {
      const t = nowNs();
      const frame = encodeBookSnapshot({ symbol, seq: ++n, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [Math.round(bid * 100), 500], bidLevels: 1, asks: [Math.round(ask * 100), 500], askLevels: 1 });
      // Execution takes the full topic, risk the sampled one.
      for (const topic of [topics.book(symbol), topics.bookSampled(symbol)]) books.publish(topic, frame);
    },
    chain: (s) => analytics.publish(topics.chain(s.underlying), encodeMessage(s)),
    api: (method, path, token, body) =>
      fetch(P.url('risk', path), { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) }),
    async stop() {
      await strategy.close();
      await stream.close();
      await books.close();
      await analytics.close();
      await P.stop();
    },
  };
  return rig;
}

/** Wait for an event of this order on the stream. */
export function eventOf(r: RiskRig, clientOrderId: string, type: OrderEvent['type'], ms = 15_000): Promise<OrderEvent> {
  return until(() => r.events.find((e) => e.clientOrderId === clientOrderId && e.type === type), `${type} for ${clientOrderId}`, ms);
}
