import { decodeBookSnapshot, type BookSnapshot } from './book-codec.js';
import { CONDITIONAL_EVENT_TYPES, ORDER_EVENT_TYPES, type MessageOf, type MessageType } from './catalog.js';
import type { Decoded } from './decoded.js';
import { decodeMessage, MAX_ANALYTICS_FRAME } from './json-codec.js';
import { decodeTickFrame, type TickFrame } from './tick-codec.js';
import { BOOK_SAMPLED_PREFIX, TRADE_PREFIX } from './topics.js';

// Every ZeroMQ socket of the platform in one place: its pattern, which daemon binds it, who connects,
// and what travels each way. Sockets are created from these entries (libs/transport links), so a
// message type a contract does not list for a direction is dropped as `unexpected_type`.
// The names are the `[endpoints.<name>]` keys of config/platform.toml.

export type DaemonName = 'market-data' | 'strategy' | 'risk' | 'oms' | 'execution' | 'monitoring' | 'security' | 'fix-gateway' | 'market-services';

/** A broadcast stream: the owner binds an (X)PUB, subscribers connect SUB. Frames are `[topic, body]`. */
export interface StreamContract<T> {
  readonly pattern: 'PUB/SUB';
  readonly owner: DaemonName;
  readonly subscribers: readonly DaemonName[];
  /** Topic pattern(s), for the docs. */
  readonly topics: string;
  readonly encoding: 'tick-frame' | 'book-frame' | 'json';
  readonly messages: readonly string[];
  /** Market data: a subscriber works through a backlog of it in slices, so order-path sockets get their turn. */
  readonly bulk: boolean;
  decode(body: Buffer): Decoded<T>;
  /** The publisher's sequence numbers a message carries, by key (symbol, strategy, topic): gaps are counted per key. */
  sequence(msg: T, topic: string): readonly (readonly [string, number])[];
}

/** Commands: the owner binds a ROUTER, clients connect DEALER (REQ works for lockstep clients). Frames are `[json]`. */
export interface CommandContract<In extends MessageType, Out extends MessageType> {
  readonly pattern: 'ROUTER/DEALER';
  readonly owner: DaemonName;
  readonly clients: readonly DaemonName[];
  /** Client -> owner. */
  readonly toOwner: readonly In[];
  /** Owner -> client. */
  readonly toClients: readonly Out[];
}

const json = <T extends MessageType>(types: readonly T[], maxBytes?: number) => ({
  encoding: 'json' as const,
  messages: types,
  decode: (body: Buffer): Decoded<MessageOf<T>> => decodeMessage(body, types, maxBytes) as Decoded<MessageOf<T>>,
});

// Every command socket answers a command it cannot decode or validate with CommandRefused.
const command = <In extends MessageType, Out extends MessageType>(c: Omit<CommandContract<In, Out>, 'pattern'>): CommandContract<In, Out | 'CommandRefused'> => ({
  pattern: 'ROUTER/DEALER',
  ...c,
  toClients: [...c.toClients, 'CommandRefused'],
});

const ORDER_STREAM_TYPES = [...ORDER_EVENT_TYPES, 'OrderStreamHeads', ...CONDITIONAL_EVENT_TYPES] as const;
const isConditional = (t: string): boolean => t.startsWith('Conditional');

export const wire = {
  ticks: {
    pattern: 'PUB/SUB',
    owner: 'market-data',
    bulk: true,
    // The OMS subscribes to the symbols its conditional orders watch (md.tick.<SYMBOL>), while they wait.
    subscribers: ['strategy', 'risk', 'execution', 'monitoring', 'oms', 'market-services'],
    topics: 'md.tick.<SYMBOL>, md.trade.<SYMBOL>',
    encoding: 'tick-frame',
    messages: ['tick batch'],
    decode: decodeTickFrame,
    // The trade topic skips the quotes' sequence numbers by design: only the full topic is checked for gaps.
    sequence: (f, topic) => (topic.startsWith(TRADE_PREFIX) ? [] : f.ticks.map((t) => [t.symbol, t.seq] as const)),
  } satisfies StreamContract<TickFrame>,
  books: {
    pattern: 'PUB/SUB',
    owner: 'market-data',
    bulk: true,
    subscribers: ['strategy', 'risk', 'execution', 'monitoring', 'oms', 'market-services'],
    topics: 'md.book.<SYMBOL>, md.book-sampled.<SYMBOL>',
    encoding: 'book-frame',
    messages: ['book snapshot'],
    decode: decodeBookSnapshot,
    // Sampled snapshots skip sequence numbers by design: only the full topic is checked for gaps.
    sequence: (b, topic) => (topic.startsWith(BOOK_SAMPLED_PREFIX) ? [] : [[b.symbol, b.seq]]),
  } satisfies StreamContract<BookSnapshot>,
  // The OMS is a client too: the children its triggered conditional orders release; the FIX gateway: its counterparties' orders.
  orders: command({ owner: 'risk', clients: ['strategy', 'oms', 'fix-gateway'], toOwner: ['SubmitOrder', 'CancelOrder', 'ReplaceOrder'], toClients: ['OrderDenied', 'OrderReplaceRejected'] }),
  approved: command({ owner: 'oms', clients: ['risk'], toOwner: ['OrderApproved', 'CancelOrder', 'ReplaceOrder', 'CancelAllOrders'], toClients: [] }),
  venue: command({
    owner: 'execution',
    clients: ['oms'],
    toOwner: ['VenueSubmitOrder', 'VenueCancelOrder', 'VenueReplaceOrder', 'QueryOrderStatus'],
    toClients: ['OrderAccepted', 'OrderRejected', 'OrderFilled', 'OrderCanceled', 'OrderCancelRejected', 'OrderExpired', 'OrderReplaced', 'OrderReplaceRejected', 'OrderStatusReported'],
  }),
  order_events: {
    pattern: 'PUB/SUB',
    owner: 'oms',
    bulk: false,
    subscribers: ['risk', 'strategy', 'monitoring', 'fix-gateway'],
    topics: 'orders.<STRATEGY>, orders-heads, conditional.<STRATEGY>',
    ...json(ORDER_STREAM_TYPES),
    // Conditional events are sequenced per strategy on their own (their topic), apart from order events.
    sequence: (m) => (m.type === 'OrderStreamHeads' || m.seq === undefined ? [] : [[isConditional(m.type) ? `conditional:${m.strategyId}` : m.strategyId, m.seq]]),
  } satisfies StreamContract<MessageOf<(typeof ORDER_STREAM_TYPES)[number]>>,
  conditional: command({
    owner: 'oms',
    clients: ['strategy'],
    toOwner: ['PlaceConditionalOrder', 'ModifyConditionalOrder', 'CancelConditionalOrder'],
    toClients: ['ConditionalOrderRefused'],
  }),
  risk_check: command({ owner: 'risk', clients: [], toOwner: ['CheckOrder'], toClients: ['OrderCheckResult'] }),
  control: {
    pattern: 'PUB/SUB',
    owner: 'risk',
    bulk: false,
    subscribers: ['oms', 'monitoring'],
    topics: 'control.killswitch, control.limits',
    ...json(['KillSwitchChanged', 'LimitsChanged'] as const),
    sequence: (m, topic) => (m.seq !== undefined ? [[topic, m.seq]] : []),
  } satisfies StreamContract<MessageOf<'KillSwitchChanged' | 'LimitsChanged'>>,
  analytics: {
    pattern: 'PUB/SUB',
    owner: 'market-data',
    bulk: true,
    subscribers: ['strategy', 'risk', 'monitoring', 'market-services'],
    topics: 'md.chain.<UNDERLYING>',
    ...json(['OptionChainSnapshot'] as const, MAX_ANALYTICS_FRAME),
    sequence: (m) => (m.seq !== undefined ? [[m.underlying, m.seq]] : []),
  } satisfies StreamContract<MessageOf<'OptionChainSnapshot'>>,
  scanner: {
    pattern: 'PUB/SUB',
    owner: 'market-services',
    bulk: false,
    subscribers: ['strategy', 'monitoring'],
    topics: 'scan.suggestions',
    ...json(['ScannerSuggestions'] as const),
    sequence: (m) => (m.seq !== undefined ? [['scan', m.seq]] : []),
  } satisfies StreamContract<MessageOf<'ScannerSuggestions'>>,
} as const;

export type WireName = keyof typeof wire;
export type StreamName = { [K in WireName]: (typeof wire)[K] extends StreamContract<unknown> ? K : never }[WireName];
export type CommandName = Exclude<WireName, StreamName>;
/** What a stream delivers, decoded. */
export type StreamMessage<K extends StreamName> = (typeof wire)[K] extends StreamContract<infer T> ? T : never;
