// Topic names of the broadcast streams. ZeroMQ subscriptions match by prefix, so "md.tick.BTC" also
// matches "md.tick.BTC-USDT": subscribers compare the received topic exactly (see `topicMatches`).

export const topics = {
  tick: (symbol: string): string => `md.tick.${symbol}`,
  book: (symbol: string): string => `md.book.${symbol}`,
  /** The same snapshots at most once per `sampled_book_ms` per symbol (the latest always follows): for consumers off the order path. */
  bookSampled: (symbol: string): string => `md.book-sampled.${symbol}`,
  /** The trades of md.tick.<SYMBOL> alone, same frames format and sequence numbers (with gaps where quotes were): for consumers that need prices, not quotes. */
  trade: (symbol: string): string => `md.trade.${symbol}`,
  /** One strategy's order-event stream (sequenced per strategy by the OMS). */
  orderEvents: (strategyId: string): string => `orders.${strategyId}`,
  /** One strategy's conditional-order events (sequenced per strategy, apart from its order events). */
  conditional: (strategyId: string): string => `conditional.${strategyId}`,
  /** OrderStreamHeads: every stream's last sequence number, once a second. */
  orderHeads: 'orders-heads',
  /** OptionChainSnapshot: one underlying's option chain with implied vols, greeks and aggregates. */
  chain: (underlying: string): string => `md.chain.${underlying}`,
  /** ScannerSuggestions: the market-services scanner's ranking, every N minutes of exchange time. */
  scanner: 'scan.suggestions',
  /**
   * Subscribed by a consumer after its real topics, to name itself to the publisher (nothing is ever
   * published on it): market-data's `wait_for` waits for these names, not for a count of subscriptions.
   */
  ready: (consumer: string): string => `${READY_PREFIX}${consumer}`,
  killSwitch: 'control.killswitch',
  limits: 'control.limits',
} as const;

export const TICK_PREFIX = 'md.tick.';
/**
 * A SUB sends its subscriptions in the order made; on a reconnect it walks its subscription tree, in
 * insertion or byte order (libzmq's two trees). Subscribed last and starting with '~' (after every
 * topic's first letter), the name follows the topics it vouches for either way.
 */
export const READY_PREFIX = '~ready.';
export const BOOK_PREFIX = 'md.book.';
/** Not matched by BOOK_PREFIX ('md.book-' is not 'md.book.'). */
export const BOOK_SAMPLED_PREFIX = 'md.book-sampled.';
export const TRADE_PREFIX = 'md.trade.';
export const CHAIN_PREFIX = 'md.chain.';
export const ORDER_EVENTS_PREFIX = 'orders.';
export const CONDITIONAL_PREFIX = 'conditional.';
export const CONTROL_PREFIX = 'control.';
export const SCANNER_TOPIC = 'scan.suggestions';

/** What a consumer off the order path subscribes to for books: the sampled topic, or the full one when sampling is off (0). */
export function offPathBookPrefix(sampledBookMs: number): string {
  return sampledBookMs > 0 ? BOOK_SAMPLED_PREFIX : BOOK_PREFIX;
}

/** What a consumer that needs trades only subscribes to for ticks: the trade topic, or every tick when it is off. */
export function tradesOnlyTickPrefix(tradeTopic: boolean): string {
  return tradeTopic ? TRADE_PREFIX : TICK_PREFIX;
}

/** True when `topic` is one of the subscribed topics, or any topic under a subscribed prefix ending in '.'. */
export function topicMatches(topic: string, subscribed: readonly string[]): boolean {
  for (const s of subscribed) {
    if (s === '' || topic === s || (s.endsWith('.') && topic.startsWith(s))) return true;
  }
  return false;
}
