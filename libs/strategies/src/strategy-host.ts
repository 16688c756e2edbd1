import type { InstrumentRegistry } from '@hft/config';
import { DEFAULT_FEATURES, SymbolFeatures, type FeatureSettings } from '@hft/features';
import type { Logger } from '@hft/logging';
import { envelope, nowNs, type BookSnapshot, type ConditionalEvent, type ConditionalOrderRefused, type ConditionalPart, type MessageInput, type OptionChainSnapshot, type OpenOrderRow, type OrderEvent, type ScannerSuggestions, type StrategyState, type Tick } from '@hft/messages';
import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';
import { toUnits } from '@hft/orders';
import { Position } from '@hft/portfolio';
import { ClientOrderIds } from './client-order-ids.js';
import { ERR_STRATEGY_NO_CHAIN } from './errors.js';
import type { ConditionalRequest, OrderRequest, Strategy, StrategyContext } from './strategy.js';
import { StrategyOrder, type TrackedOrder } from './tracked-order.js';

/** Where commands go (the DEALER to risk; conditional orders to the OMS's trigger engine); false when it could not take the message. */
export type CommandSink = (cmd: MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'> | MessageInput<'ReplaceOrder'> | MessageInput<'PlaceConditionalOrder'> | MessageInput<'CancelConditionalOrder'>) => boolean;

export interface HostOptions {
  instruments: InstrumentRegistry;
  log: Logger;
  send: CommandSink;
  features?: FeatureSettings;
  /** Makes client order ids unique across runs (default: start time). */
  run?: string;
  /** An order with neither an orderId nor a denial after this long (wall time) is voided with a cancel (0: never). */
  ackTimeoutMs?: number;
  /** A symbol no hosted strategy followed before was subscribed at run time: the daemon subscribes its topics. */
  onSubscribe?: (symbol: string) => void;
}

export interface StrategyStatus {
  id: string;
  symbols: readonly string[];
  positions: { symbol: string; qty: number; avgPx: number; realized: number; unrealized: number; fees: number; mark: number }[];
  pnl: number;
  /** JSON-safe: `sentAt` is the data time in ns as a decimal string. */
  openOrders: (Omit<TrackedOrder, 'sentAt'> & { sentAt: string })[];
  /** Last order-event sequence applied. */
  seq: number;
  stats: Record<string, number>;
}

function hostMetrics() {
  return {
    signals: counter({ name: 'hft_strategy_signals_total', help: 'Signals raised by strategies', labelNames: ['strategy', 'signal'] }),
    orders: counter({ name: 'hft_strategy_orders_total', help: 'Commands sent by strategies, by action (submit, cancel)', labelNames: ['strategy', 'action'] }),
    refused: counter({ name: 'hft_strategy_orders_refused_total', help: 'Commands a strategy could not send, by reason', labelNames: ['strategy', 'reason'] }),
    reports: counter({ name: 'hft_strategy_reports_total', help: 'Order events (and risk denials) received, by type', labelNames: ['strategy', 'type'] }),
    denials: counter({ name: 'hft_strategy_denials_total', help: 'Orders denied by risk, by check', labelNames: ['strategy', 'check'] }),
    fills: counter({ name: 'hft_strategy_fills_total', help: 'Fills received', labelNames: ['strategy', 'symbol', 'liquidity'] }),
    refusedEvents: counter({ name: 'hft_strategy_events_refused_total', help: 'Order events the order lifecycle refused (not applied), by why', labelNames: ['strategy', 'reason'] }),
    voided: counter({ name: 'hft_strategy_orders_voided_total', help: 'Orders with no outcome within the acknowledgement timeout, voided with a cancel', labelNames: ['strategy'] }),
    position: gauge({ name: 'hft_strategy_position', help: 'Position (signed quantity) by strategy and symbol', labelNames: ['strategy', 'symbol'] }),
    notional: gauge({ name: 'hft_strategy_position_notional', help: 'Position value at the mark (signed, quote currency)', labelNames: ['strategy', 'symbol'] }),
    pnl: gauge({ name: 'hft_strategy_pnl', help: 'PnL by strategy: realized, unrealized, fees, total', labelNames: ['strategy', 'kind'] }),
    openOrders: gauge({ name: 'hft_strategy_open_orders', help: 'Orders not in a terminal state', labelNames: ['strategy'] }),
    stat: gauge({ name: 'hft_strategy_stat', help: 'Strategy-specific figures (inventory ratio, z-score, VWAP slippage...)', labelNames: ['strategy', 'name'] }),
    onTick: histogram({ name: 'hft_strategy_on_tick_seconds', help: 'Time a strategy spends handling one tick or book snapshot', labelNames: ['strategy'], buckets: LATENCY_BUCKETS }),
  };
}
type HostMetrics = ReturnType<typeof hostMetrics>;

/** One hosted strategy: its context, orders and positions. */
class Runtime implements StrategyContext {
  readonly orders = new Map<string, StrategyOrder>();
  /** Conditional orders placed in this run, by id, with their tag (their children are adopted as they appear). */
  readonly conditionals = new Map<string, string>();
  readonly positions = new Map<string, Position>();
  private readonly ids: ClientOrderIds;
  /** Last order-event sequence applied (the stream's, per strategy). */
  seq = 0;
  nextTimer: bigint | null = null;

  constructor(
    readonly id: string,
    readonly strategy: Strategy,
    readonly log: Logger,
    private readonly host: StrategyHost,
    private readonly m: HostMetrics,
    run: string | undefined,
  ) {
    this.ids = new ClientOrderIds(id, run);
  }

  features(symbol: string): SymbolFeatures {
    return this.host.features(symbol);
  }

  instrument(symbol: string) {
    return this.host.instruments.get(symbol);
  }

  position(symbol: string): Position {
    let p = this.positions.get(symbol);
    if (!p) {
      p = new Position(symbol, this.host.instruments.find(symbol) ?? 1);
      this.positions.set(symbol, p);
    }
    return p;
  }

  openOrders(symbol?: string): readonly TrackedOrder[] {
    const out: TrackedOrder[] = [];
    for (const o of this.orders.values()) if (!symbol || o.symbol === symbol) out.push(o);
    return out;
  }

  now(): bigint {
    return this.host.dataTime;
  }

  submit(req: OrderRequest | ConditionalRequest): string | null {
    if (isConditional(req)) return this.place(req);
    const type = req.type ?? 'limit';
    const clientOrderId = this.ids.next();
    const spec = { strategyId: this.id, clientOrderId, symbol: req.symbol, side: req.side, orderType: type, timeInForce: req.tif ?? 'gtc', postOnly: req.postOnly ?? false, price: type === 'market' ? null : (req.price ?? null), quantity: req.qty, tsTick: this.host.causingTick } as const;
    const stamps = this.host.causingTick === null ? {} : { stamps: { tickPublished: this.host.causingTick, ...(this.host.causingReceived === null ? {} : { strategyIn: this.host.causingReceived }), submitted: nowNs() } };
    const ok = this.host.send({ type: 'SubmitOrder', ...envelope(null, this.host.dataTime || undefined), ...spec, ...stamps });
    if (!ok) {
      this.m.refused.inc({ strategy: this.id, reason: 'send_queue_full' });
      this.log.warn({ clientOrderId, symbol: req.symbol }, 'order not sent: command queue to risk is full');
      return null;
    }
    this.m.orders.inc({ strategy: this.id, action: 'submit' });
    this.orders.set(clientOrderId, new StrategyOrder(spec, this.instrument(req.symbol), this.host.dataTime, req.tag ?? ''));
    return clientOrderId;
  }

  private place(req: ConditionalRequest): string | null {
    const conditionalId = this.ids.next();
    const trigger = { triggerOn: req.triggerOn ?? 'last' } as const;
    const entry: ConditionalPart | null =
      req.type === 'oco'
        ? null
        : {
            kind: req.type,
            ...trigger,
            ...(req.triggerPrice !== undefined ? { triggerPrice: req.triggerPrice } : {}),
            ...(req.price !== undefined ? { limitPrice: req.price } : {}),
            ...(req.trailingGap !== undefined ? { trailingGap: req.trailingGap } : {}),
            ...(req.trailingBps !== undefined ? { trailingBps: req.trailingBps } : {}),
            ...(req.limitOffset !== undefined ? { limitOffset: req.limitOffset } : {}),
          };
    const legs: ConditionalPart[] = [];
    if (req.target !== undefined) legs.push({ kind: 'limit_if_touched', ...trigger, triggerPrice: req.target, limitPrice: req.target });
    if (req.stopLoss !== undefined) legs.push(req.stopLossTrailingGap !== undefined ? { kind: 'trailing_stop', ...trigger, triggerPrice: req.stopLoss, trailingGap: req.stopLossTrailingGap } : { kind: 'stop', ...trigger, triggerPrice: req.stopLoss });
    const ok = this.host.send({ type: 'PlaceConditionalOrder', ...envelope(null, this.host.dataTime || undefined), strategyId: this.id, conditionalId, symbol: req.symbol, side: req.side, quantity: req.qty, entry, legs });
    if (!ok) {
      this.m.refused.inc({ strategy: this.id, reason: 'send_queue_full' });
      this.log.warn({ conditionalId, symbol: req.symbol }, 'conditional order not sent: the command queue to the OMS is full');
      return null;
    }
    this.m.orders.inc({ strategy: this.id, action: 'place_conditional' });
    this.conditionals.set(conditionalId, req.tag ?? '');
    return conditionalId;
  }

  cancel(clientOrderId: string): boolean {
    if (this.conditionals.has(clientOrderId)) {
      if (!this.host.send({ type: 'CancelConditionalOrder', ...envelope(null, this.host.dataTime || undefined), strategyId: this.id, conditionalId: clientOrderId, reason: 'strategy' })) return false;
      this.m.orders.inc({ strategy: this.id, action: 'cancel_conditional' });
      return true;
    }
    const o = this.orders.get(clientOrderId);
    if (!o || o.status === 'PendingCancel') return false;
    if (!this.sendCancel(o, 'strategy')) return false;
    this.m.orders.inc({ strategy: this.id, action: 'cancel' });
    return true;
  }

  replace(clientOrderId: string, terms: { price?: number; qty?: number }): boolean {
    const o = this.orders.get(clientOrderId);
    if (!o || !o.isOpen || o.status === 'PendingCancel' || o.pendingReplace !== null || o.orderType !== 'limit') return false;
    const price = terms.price ?? o.price!;
    const quantity = terms.qty ?? o.quantity;
    const ok = this.host.send({ type: 'ReplaceOrder', ...envelope(null, this.host.dataTime || undefined), strategyId: this.id, clientOrderId, symbol: o.symbol, ...(o.orderId !== null ? { orderId: o.orderId } : {}), price, quantity, reason: 'strategy' });
    if (!ok) {
      this.m.refused.inc({ strategy: this.id, reason: 'send_queue_full' });
      return false;
    }
    // Until the answer, a second replace would be refused: hold it here.
    o.pendingReplace = { price, quantity };
    this.m.orders.inc({ strategy: this.id, action: 'replace' });
    return true;
  }

  private sendCancel(o: StrategyOrder, reason: string): boolean {
    const ok = this.host.send({ type: 'CancelOrder', ...envelope(null, this.host.dataTime || undefined), strategyId: this.id, clientOrderId: o.clientOrderId, symbol: o.symbol, ...(o.orderId !== null ? { orderId: o.orderId } : {}), reason });
    if (!ok) {
      this.m.refused.inc({ strategy: this.id, reason: 'send_queue_full' });
      return false;
    }
    o.pendingCancel();
    return true;
  }

  /**
   * Orders with no outcome at all after `timeoutMs`: the command was lost (risk restarted with it).
   * A cancel voids it: the OMS cancels it if it has it, or refuses it for ever, and the stream says which.
   */
  voidUnanswered(nowMs: number, timeoutMs: number): void {
    for (const o of this.orders.values()) {
      if (o.orderId !== null || o.voided || nowMs - o.sentWallMs < timeoutMs) continue;
      o.voided = true;
      if (this.sendCancel(o, 'no outcome within the acknowledgement timeout')) this.m.voided.inc({ strategy: this.id });
    }
  }

  signal(name: string): void {
    this.m.signals.inc({ strategy: this.id, signal: name });
  }

  roundPrice(symbol: string, price: number, mode: 'down' | 'up' | 'nearest'): number {
    const i = this.instrument(symbol);
    const ticks = (price * i.priceScale) / i.tickUnits;
    // A hair of tolerance so 187.40 * 100 = 18739.999... rounds as the number it is.
    const n = mode === 'down' ? Math.floor(ticks + 1e-7) : mode === 'up' ? Math.ceil(ticks - 1e-7) : Math.round(ticks);
    return (n * i.tickUnits) / i.priceScale;
  }

  chain(underlying: string): OptionChainSnapshot | null {
    return this.host.chain(underlying);
  }

  subscribe(symbol: string): boolean {
    return this.host.subscribe(this, symbol);
  }

  roundQty(symbol: string, qty: number): number {
    const i = this.instrument(symbol);
    return (Math.floor((qty * i.qtyScale) / i.lotUnits + 1e-7) * i.lotUnits) / i.qtyScale;
  }

  /**
   * Apply one order event (from the stream, in sequence; or risk's denial of a command) through the
   * order lifecycle. Positions follow every fill of the stream, tracked order or not.
   */
  apply(e: OrderEvent): void {
    if (e.seq !== undefined) this.seq = e.seq;
    if (e.type === 'OrderFilled') {
      this.position(e.symbol).onFill(e.side, e.lastPx, e.lastQty, e.fee);
      this.m.fills.inc({ strategy: this.id, symbol: e.symbol, liquidity: e.liquidity });
    }
    if (e.type === 'OrderDenied') this.m.denials.inc({ strategy: this.id, check: e.code });
    let o = this.orders.get(e.clientOrderId);
    // A child of one of this run's conditional orders: tracked from its first event, like the strategy's own.
    const parent = e.clientOrderId.slice(0, e.clientOrderId.lastIndexOf(':'));
    if (!o && e.type === 'OrderSubmitted' && this.conditionals.has(parent)) {
      o = new StrategyOrder({ strategyId: e.strategyId, clientOrderId: e.clientOrderId, symbol: e.symbol, side: e.side, orderType: e.orderType, timeInForce: e.timeInForce, postOnly: e.postOnly, price: e.price, quantity: e.quantity, tsTick: e.tsTick }, this.instrument(e.symbol), this.host.dataTime, this.conditionals.get(parent)!);
      this.orders.set(e.clientOrderId, o);
    }
    if (!o) return;
    const r = o.apply(e);
    if (!r.ok) {
      this.m.refusedEvents.inc({ strategy: this.id, reason: r.reason });
      this.log.warn({ clientOrderId: e.clientOrderId, type: e.type, detail: r.detail }, 'order event refused by the lifecycle');
    }
    if (!o.isOpen) this.orders.delete(o.clientOrderId);
  }

  /** Take over positions and open orders as the OMS has them at stream sequence `state.seq`. */
  restore(state: StrategyState): void {
    this.positions.clear();
    this.orders.clear();
    for (const p of state.positions) this.position(p.symbol).restore(p);
    for (const o of state.openOrders) this.orders.set(o.clientOrderId, restored(o, this.instrument(o.symbol), this.host.dataTime));
    this.seq = state.seq;
  }
}

function restored(o: OpenOrderRow, inst: ReturnType<StrategyHost['instruments']['get']>, at: bigint): StrategyOrder {
  const spec = { strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, orderType: o.orderType, timeInForce: o.timeInForce, postOnly: o.postOnly, price: o.price, quantity: o.quantity, tsTick: null };
  const cumUnits = toUnits(o.cumQty, inst.qtyScale);
  // The average is what the OMS reports; the notional that gives it back is enough for the view.
  const notional = BigInt(Math.round((o.avgPx ?? 0) * inst.priceScale)) * BigInt(cumUnits);
  return new StrategyOrder(spec, inst, at, 'restored', { orderId: o.orderId, status: o.status, cumUnits, notional, acked: o.acked });
}

/**
 * Hosts strategies: keeps per-symbol features, dispatches ticks, books, execution reports and
 * data-time timers to the strategies that trade the symbol, and turns their requests into commands.
 * A strategy that throws is logged and counted, never allowed to take the host down.
 */
export class StrategyHost {
  readonly instruments: InstrumentRegistry;
  private readonly runtimes = new Map<string, Runtime>();
  private readonly bySymbol = new Map<string, Runtime[]>();
  private readonly byUnderlying = new Map<string, Runtime[]>();
  private readonly chains = new Map<string, OptionChainSnapshot>();
  private readonly feats = new Map<string, SymbolFeatures>();
  private readonly m = hostMetrics();
  private readonly errors = counter({ name: 'hft_strategy_errors_total', help: 'Exceptions thrown by strategy hooks', labelNames: ['strategy', 'hook'] });
  /** Exchange time of the latest event. */
  dataTime = 0n;
  /** Publish time of the tick/book being dispatched: carried on orders for tick-to-trade latency. */
  causingTick: bigint | null = null;
  /** When this process received it (the waterfall's strategyIn stamp). */
  causingReceived: bigint | null = null;

  constructor(private readonly opts: HostOptions) {
    this.instruments = opts.instruments;
  }

  add(id: string, strategy: Strategy): void {
    for (const s of strategy.symbols) this.instruments.get(s);
    const rt = new Runtime(id, strategy, this.opts.log.child({ strategy: id }), this, this.m, this.opts.run);
    this.runtimes.set(id, rt);
    for (const s of strategy.symbols) {
      const list = this.bySymbol.get(s) ?? [];
      list.push(rt);
      this.bySymbol.set(s, list);
    }
    for (const u of strategy.underlyings ?? []) {
      if (!this.instruments.optionsOn(u).length) throw ERR_STRATEGY_NO_CHAIN(id, u);
      const list = this.byUnderlying.get(u) ?? [];
      list.push(rt);
      this.byUnderlying.set(u, list);
    }
  }

  /** Add a symbol to a strategy's feed at run time (Runtime.subscribe). */
  subscribe(rt: Runtime, symbol: string): boolean {
    if (!this.instruments.find(symbol)) {
      this.m.refused.inc({ strategy: rt.id, reason: 'subscribe_unknown_instrument' });
      return false;
    }
    const list = this.bySymbol.get(symbol);
    if (list?.includes(rt)) return true;
    if (list) list.push(rt);
    else {
      this.bySymbol.set(symbol, [rt]);
      this.opts.onSubscribe?.(symbol);
    }
    this.m.signals.inc({ strategy: rt.id, signal: 'subscribed' });
    return true;
  }

  /** True when some hosted strategy takes the scanner's suggestions. */
  wantsSuggestions(): boolean {
    return [...this.runtimes.values()].some((rt) => rt.strategy.scanner);
  }

  onSuggestions(msg: ScannerSuggestions): void {
    if (msg.tsEvent > this.dataTime) this.dataTime = msg.tsEvent;
    for (const rt of this.runtimes.values()) {
      if (!rt.strategy.scanner) continue;
      this.timers(rt);
      this.guard(rt, 'onSuggestions', () => rt.strategy.onSuggestions?.(msg, rt));
    }
  }

  /** Underlyings whose chain snapshots some strategy follows (the strategy daemon subscribes md.chain.<U> for them). */
  underlyings(): string[] {
    return [...this.byUnderlying.keys()];
  }

  /** The latest chain snapshot of an underlying, or null before one. */
  chain(underlying: string): OptionChainSnapshot | null {
    return this.chains.get(underlying) ?? null;
  }

  /** A chain snapshot (market-data's md.chain, or the backtest's own chain feed). */
  onChain(snap: OptionChainSnapshot): void {
    const list = this.byUnderlying.get(snap.underlying);
    if (!list) return;
    this.chains.set(snap.underlying, snap);
    if (snap.tsEvent > this.dataTime) this.dataTime = snap.tsEvent;
    for (const rt of list) {
      this.timers(rt);
      this.guard(rt, 'onChain', () => rt.strategy.onChain?.(snap, rt));
    }
  }

  strategyIds(): string[] {
    return [...this.runtimes.keys()];
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  features(symbol: string): SymbolFeatures {
    let f = this.feats.get(symbol);
    if (!f) {
      f = new SymbolFeatures(symbol, this.opts.features ?? DEFAULT_FEATURES);
      this.feats.set(symbol, f);
    }
    return f;
  }

  send(cmd: Parameters<CommandSink>[0]): boolean {
    return this.opts.send(cmd);
  }

  /** `receivedAt`: when the frame reached this process (ns since the epoch), for the latency waterfall. */
  onTick(tick: Tick, tsPublish: bigint | null, receivedAt: bigint | null = null): void {
    this.features(tick.symbol).onTick(tick);
    this.causingReceived = receivedAt;
    this.dispatch(tick.symbol, tick.tsEvent, tsPublish, 'onTick', (s, ctx) => s.onTick?.(tick, ctx));
  }

  onBook(book: BookSnapshot, receivedAt: bigint | null = null): void {
    this.features(book.symbol).onBook(book);
    this.causingReceived = receivedAt;
    this.dispatch(book.symbol, book.tsEvent, book.tsPublish, 'onBook', (s, ctx) => s.onBook?.(book, ctx));
  }

  /** A conditional-order event of one of the hosted strategies. */
  onConditionalEvent(e: ConditionalEvent | ConditionalOrderRefused): void {
    const rt = this.runtimes.get(e.strategyId);
    if (!rt) return;
    this.m.reports.inc({ strategy: rt.id, type: e.type });
    this.guard(rt, 'onConditionalEvent', () => rt.strategy.onConditionalEvent?.(e, rt));
  }

  /** An order event (or risk's denial) for one of the hosted strategies. */
  onOrderEvent(e: OrderEvent): void {
    const rt = this.runtimes.get(e.strategyId);
    if (!rt) return;
    this.m.reports.inc({ strategy: rt.id, type: e.type });
    rt.apply(e);
    this.guard(rt, 'onExecutionReport', () => rt.strategy.onExecutionReport?.(e, rt));
    this.export(rt);
  }

  /** Void orders whose commands got no outcome within the acknowledgement timeout (call now and then). */
  sweep(nowMs = Date.now()): void {
    const t = this.opts.ackTimeoutMs ?? 0;
    if (t > 0) for (const rt of this.runtimes.values()) rt.voidUnanswered(nowMs, t);
  }

  private dispatch(symbol: string, ts: bigint, tsPublish: bigint | null, hook: string, fn: (s: Strategy, ctx: StrategyContext) => void): void {
    if (ts > this.dataTime) this.dataTime = ts;
    const list = this.bySymbol.get(symbol);
    if (!list) return;
    this.causingTick = tsPublish;
    for (const rt of list) {
      this.timers(rt);
      const t0 = performance.now();
      this.guard(rt, hook, () => fn(rt.strategy, rt));
      this.m.onTick.observe({ strategy: rt.id }, (performance.now() - t0) / 1000);
    }
    this.causingTick = null;
  }

  /** Fire onTimer for every period of data time that has passed (catching up at most 1000). */
  private timers(rt: Runtime): void {
    const period = rt.strategy.timerMs;
    if (!period || !rt.strategy.onTimer) return;
    const step = BigInt(Math.round(period * 1e6));
    if (rt.nextTimer === null) rt.nextTimer = this.dataTime + step;
    let n = 0;
    while (this.dataTime >= rt.nextTimer && n++ < 1000) {
      const at = rt.nextTimer;
      rt.nextTimer += step;
      this.guard(rt, 'onTimer', () => rt.strategy.onTimer!(at, rt));
    }
    if (this.dataTime >= rt.nextTimer) rt.nextTimer = this.dataTime + step;
  }

  private guard(rt: Runtime, hook: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.errors.inc({ strategy: rt.id, hook });
      rt.log.error({ err: e, hook }, 'strategy hook threw; event skipped for this strategy');
    }
  }

  private export(rt: Runtime): void {
    let realized = 0;
    let unrealized = 0;
    let fees = 0;
    for (const p of rt.positions.values()) {
      const mark = this.features(p.symbol).mid;
      const m = Number.isNaN(mark) ? this.features(p.symbol).lastPrice : mark;
      realized += p.realized;
      unrealized += p.unrealized(m);
      fees += p.fees;
      this.m.position.set({ strategy: rt.id, symbol: p.symbol }, p.qty);
      this.m.notional.set({ strategy: rt.id, symbol: p.symbol }, Number.isNaN(m) ? 0 : p.qty * m);
    }
    this.m.pnl.set({ strategy: rt.id, kind: 'realized' }, realized);
    this.m.pnl.set({ strategy: rt.id, kind: 'unrealized' }, unrealized);
    this.m.pnl.set({ strategy: rt.id, kind: 'fees' }, fees);
    this.m.pnl.set({ strategy: rt.id, kind: 'total' }, realized + unrealized - fees);
    this.m.openOrders.set({ strategy: rt.id }, rt.orders.size);
    for (const [name, v] of Object.entries(rt.strategy.stats?.() ?? {})) if (Number.isFinite(v)) this.m.stat.set({ strategy: rt.id, name }, v);
  }

  /** Refresh every exported gauge (call periodically: unrealized PnL moves with the market). */
  exportAll(): void {
    for (const rt of this.runtimes.values()) this.export(rt);
  }

  status(): StrategyStatus[] {
    return [...this.runtimes.values()].map((rt) => {
      const positions = [...rt.positions.values()].map((p) => {
        const f = this.features(p.symbol);
        const mark = Number.isNaN(f.mid) ? f.lastPrice : f.mid;
        return { symbol: p.symbol, qty: p.qty, avgPx: p.avgPx, realized: p.realized, unrealized: p.unrealized(mark), fees: p.fees, mark };
      });
      return {
        id: rt.id,
        symbols: rt.strategy.symbols,
        positions,
        pnl: positions.reduce((a, p) => a + p.realized + p.unrealized - p.fees, 0),
        openOrders: [...rt.orders.values()].map((o) => ({ clientOrderId: o.clientOrderId, orderId: o.orderId, symbol: o.symbol, side: o.side, type: o.type, price: o.price, qty: o.qty, cumQty: o.cumQty, leavesQty: o.leavesQty, status: o.status, sentAt: o.sentAt.toString(), tag: o.tag })),
        stats: rt.strategy.stats?.() ?? {},
        seq: rt.seq,
      };
    });
  }

  /** After a restart: a strategy's positions and open orders as the OMS has them (the stream follows from `seq`). */
  restore(state: StrategyState): void {
    const rt = this.runtimes.get(state.strategyId);
    if (!rt) return;
    rt.restore(state);
    this.export(rt);
  }

  /** Last order-event sequence applied, per hosted strategy. */
  cursors(): Map<string, number> {
    return new Map([...this.runtimes.values()].map((rt) => [rt.id, rt.seq]));
  }

  /** The runtime (context) of a strategy, for tests and tools. */
  context(id: string): StrategyContext | undefined {
    return this.runtimes.get(id);
  }
}

const isConditional = (r: OrderRequest | ConditionalRequest): r is ConditionalRequest => r.type !== undefined && r.type !== 'limit' && r.type !== 'market';
