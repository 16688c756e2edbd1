import type { Instrument } from '@hft/config';
import type { SymbolFeatures } from '@hft/features';
import type { Logger } from '@hft/logging';
import type { BookSnapshot, ConditionalEvent, ConditionalOrderRefused, OptionChainSnapshot, OrderEvent, ScannerSuggestions, Side, Tick } from '@hft/messages';
import type { Position } from '@hft/portfolio';
import type { z } from 'zod';
import type { TrackedOrder } from './tracked-order.js';

export interface OrderRequest {
  symbol: string;
  side: Side;
  qty: number;
  /** Default 'limit'. */
  type?: 'limit' | 'market';
  /** Required for limit orders; rounded to the tick by the caller. */
  price?: number;
  /** Default 'gtc'. */
  tif?: 'gtc' | 'ioc';
  postOnly?: boolean;
  /** Free text kept on the tracked order (why it was sent), for logs and tests. */
  tag?: string;
}

/**
 * A conditional order: it waits in the trigger engine (the OMS's, or the backtest's) and releases its
 * child, a new order through risk, when the market reaches it. Prices are decimals on the tick grid.
 */
export interface ConditionalRequest {
  symbol: string;
  side: Side;
  qty: number;
  /** What the entry is (`oco`: no entry, a target and a stop-loss on a position of `side`). */
  type: 'stop' | 'stop_limit' | 'market_if_touched' | 'limit_if_touched' | 'trailing_stop' | 'trailing_stop_limit' | 'oco';
  /** The level (trailing kinds: where the level starts). */
  triggerPrice?: number;
  /** stop_limit / limit_if_touched: the child's limit. */
  price?: number;
  /** Trailing kinds: the gap behind the best price, in price or basis points. */
  trailingGap?: number;
  trailingBps?: number;
  /** trailing_stop_limit: the child's limit this far beyond the level. */
  limitOffset?: number;
  /** The price watched (default the last trade). */
  triggerOn?: 'last' | 'bid' | 'ask' | 'mid';
  /** Exits once the entry fills (a bracket, OCO when both): a limit-if-touched target... */
  target?: number;
  /** ...and a stop-loss (a stop; a trailing stop from this price with `stopLossTrailingGap`). */
  stopLoss?: number;
  stopLossTrailingGap?: number;
  tag?: string;
}

/** What a strategy can see and do. Everything runs on data (exchange) time. */
export interface StrategyContext {
  readonly id: string;
  readonly log: Logger;
  features(symbol: string): SymbolFeatures;
  instrument(symbol: string): Instrument;
  position(symbol: string): Position;
  /** Orders not yet in a terminal state, oldest first. */
  openOrders(symbol?: string): readonly TrackedOrder[];
  /** Exchange time of the latest event dispatched (ns since epoch). */
  now(): bigint;
  /**
   * Send a SubmitOrder to risk, or place a conditional order (stop, trailing stop, bracket, OCO...);
   * returns its clientOrderId (a conditional order's id: its children are `<id>:entry`, `<id>:leg0`,
   * `<id>:leg1`, tracked like the strategy's own orders), or null when it could not be sent (counted).
   */
  submit(req: OrderRequest | ConditionalRequest): string | null;
  /** Send a CancelOrder (or cancel what a conditional order still waits for); false when unknown, over or already being canceled. */
  cancel(clientOrderId: string): boolean;
  /**
   * Send a ReplaceOrder: new limit price and/or total quantity for a resting limit order (risk checks
   * the new terms; OrderReplaced or OrderReplaceRejected follows). False when unknown, over, not a
   * limit order, or a cancel or replace of it is in flight.
   */
  replace(clientOrderId: string, terms: { price?: number; qty?: number }): boolean;
  /** Count a named signal (hft_strategy_signals_total). */
  signal(name: string): void;
  /** Round a price onto the symbol's tick grid. */
  roundPrice(symbol: string, price: number, mode: 'down' | 'up' | 'nearest'): number;
  /** Round a quantity down onto the symbol's lot grid. */
  roundQty(symbol: string, qty: number): number;
  /** The latest option chain snapshot of an underlying the strategy follows (`underlyings`), or null before one. */
  chain(underlying: string): OptionChainSnapshot | null;
  /**
   * Start receiving a symbol's ticks and books from now on (a symbol picked at run time, e.g. from the
   * scanner's suggestions). False when the instrument is unknown; true when already subscribed.
   */
  subscribe(symbol: string): boolean;
}

/** The plugin interface: every hook is optional. */
export interface Strategy {
  readonly symbols: readonly string[];
  /** Underlyings whose option chain snapshots (md.chain.<UNDERLYING>: IVs, greeks, GEX...) go to onChain. */
  readonly underlyings?: readonly string[];
  /** True: the scanner's suggestions (scan.suggestions) go to onSuggestions. */
  readonly scanner?: boolean;
  /** onTimer period in ms of data time; no timer when undefined. */
  readonly timerMs?: number;
  onTick?(tick: Tick, ctx: StrategyContext): void;
  onBook?(book: BookSnapshot, ctx: StrategyContext): void;
  /** Everything that happens to the strategy's orders, in order: submitted, accepted, filled, canceled, denied... */
  onExecutionReport?(event: OrderEvent, ctx: StrategyContext): void;
  onTimer?(nowNs: bigint, ctx: StrategyContext): void;
  /** What happens to the strategy's conditional orders: placed, triggered, armed, completed, canceled, denied... (or refused at placement) */
  onConditionalEvent?(event: ConditionalEvent | ConditionalOrderRefused, ctx: StrategyContext): void;
  /** A scan of the market-services scanner: instruments ranked by momentum and breakout signals. */
  onSuggestions?(msg: ScannerSuggestions, ctx: StrategyContext): void;
  /** A chain snapshot of one of `underlyings`. */
  onChain?(snapshot: OptionChainSnapshot, ctx: StrategyContext): void;
  /** Figures worth exporting (gauges hft_strategy_stat{strategy,name}). */
  stats?(): Record<string, number>;
}

/** A strategy kind: its parameter schema and a factory. A plugin module default-exports one. */
export interface StrategyDefinition<P = unknown> {
  kind: string;
  params: z.ZodType<P>;
  create(id: string, params: P): Strategy;
}

export function defineStrategy<P>(d: StrategyDefinition<P>): StrategyDefinition<P> {
  return d;
}
