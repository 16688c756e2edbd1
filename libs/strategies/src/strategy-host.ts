import type { InstrumentRegistry } from '@hft/config';
import { DEFAULT_FEATURES, SymbolFeatures, type FeatureSettings } from '@hft/features';
import type { Logger } from '@hft/logging';
import { envelope, RecentIds, type BookSnapshot, type ExecutionReport, type MessageInput, type OrderDenied, type Tick } from '@hft/messages';
import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';
import { Position } from '@hft/portfolio';
import { ClientOrderIds } from './client-order-ids.js';
import type { OrderRequest, Strategy, StrategyContext } from './strategy.js';
import { TERMINAL, type TrackedOrder } from './tracked-order.js';

/** Where commands go (the DEALER to risk); false when it could not take the message. */
export type CommandSink = (cmd: MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'>) => boolean;

export interface HostOptions {
  instruments: InstrumentRegistry;
  log: Logger;
  send: CommandSink;
  features?: FeatureSettings;
  /** Makes client order ids unique across runs (default: start time). */
  run?: string;
}

export interface StrategyStatus {
  id: string;
  symbols: readonly string[];
  positions: { symbol: string; qty: number; avgPx: number; realized: number; unrealized: number; fees: number; mark: number }[];
  pnl: number;
  /** JSON-safe: `sentAt` is the data time in ns as a decimal string. */
  openOrders: (Omit<TrackedOrder, 'sentAt'> & { sentAt: string })[];
  stats: Record<string, number>;
}

function hostMetrics() {
  return {
    signals: counter({ name: 'hft_strategy_signals_total', help: 'Signals raised by strategies', labelNames: ['strategy', 'signal'] }),
    orders: counter({ name: 'hft_strategy_orders_total', help: 'Commands sent by strategies, by action (submit, cancel)', labelNames: ['strategy', 'action'] }),
    refused: counter({ name: 'hft_strategy_orders_refused_total', help: 'Commands a strategy could not send, by reason', labelNames: ['strategy', 'reason'] }),
    reports: counter({ name: 'hft_strategy_reports_total', help: 'Execution reports and denials received, by type', labelNames: ['strategy', 'type'] }),
    denials: counter({ name: 'hft_strategy_denials_total', help: 'Orders denied by risk, by check', labelNames: ['strategy', 'check'] }),
    fills: counter({ name: 'hft_strategy_fills_total', help: 'Fills received', labelNames: ['strategy', 'symbol', 'liquidity'] }),
    duplicateFills: counter({ name: 'hft_strategy_duplicate_fills_total', help: 'Fills seen twice (same execId) and ignored', labelNames: ['strategy'] }),
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
  readonly orders = new Map<string, TrackedOrder>();
  readonly positions = new Map<string, Position>();
  private readonly ids: ClientOrderIds;
  /** The last 100k execIds: enough to catch replays without growing forever. */
  private readonly seenExec = new RecentIds(100_000);
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
      p = new Position(symbol);
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

  submit(req: OrderRequest): string | null {
    const type = req.type ?? 'limit';
    const clientOrderId = this.ids.next();
    const price = type === 'market' ? null : (req.price ?? null);
    const ok = this.host.send({
      type: 'SubmitOrder',
      ...envelope(null, this.host.dataTime || undefined),
      strategyId: this.id,
      clientOrderId,
      symbol: req.symbol,
      side: req.side,
      orderType: type,
      timeInForce: req.tif ?? 'gtc',
      postOnly: req.postOnly ?? false,
      price,
      quantity: req.qty,
      tsTick: this.host.causingTick,
    });
    if (!ok) {
      this.m.refused.inc({ strategy: this.id, reason: 'send_queue_full' });
      this.log.warn({ clientOrderId, symbol: req.symbol }, 'order not sent: command queue to risk is full');
      return null;
    }
    this.m.orders.inc({ strategy: this.id, action: 'submit' });
    this.orders.set(clientOrderId, {
      clientOrderId,
      orderId: null,
      symbol: req.symbol,
      side: req.side,
      type,
      price,
      qty: req.qty,
      cumQty: 0,
      leavesQty: req.qty,
      status: 'PendingNew',
      sentAt: this.host.dataTime,
      tag: req.tag ?? '',
    });
    return clientOrderId;
  }

  cancel(clientOrderId: string): boolean {
    const o = this.orders.get(clientOrderId);
    if (!o || o.status === 'PendingCancel') return false;
    const ok = this.host.send({
      type: 'CancelOrder',
      ...envelope(null, this.host.dataTime || undefined),
      strategyId: this.id,
      clientOrderId,
      symbol: o.symbol,
      ...(o.orderId !== null ? { orderId: o.orderId } : {}),
      reason: 'strategy',
    });
    if (!ok) {
      this.m.refused.inc({ strategy: this.id, reason: 'send_queue_full' });
      return false;
    }
    this.m.orders.inc({ strategy: this.id, action: 'cancel' });
    o.status = 'PendingCancel';
    return true;
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

  roundQty(symbol: string, qty: number): number {
    const i = this.instrument(symbol);
    return (Math.floor((qty * i.qtyScale) / i.lotUnits + 1e-7) * i.lotUnits) / i.qtyScale;
  }

  /** Apply an execution report or denial to orders and positions; false for a duplicate fill. */
  apply(r: ExecutionReport | OrderDenied): boolean {
    const o = this.orders.get(r.clientOrderId);
    switch (r.type) {
      case 'OrderAccepted':
        if (o) {
          o.orderId = r.orderId;
          if (o.status === 'PendingNew') o.status = 'New';
        }
        return true;
      case 'OrderFilled': {
        if (this.seenExec.has(r.execId)) {
          this.m.duplicateFills.inc({ strategy: this.id });
          return false;
        }
        this.seenExec.add(r.execId);
        this.position(r.symbol).onFill(r.side, r.lastPx, r.lastQty, r.fee);
        this.m.fills.inc({ strategy: this.id, symbol: r.symbol, liquidity: r.liquidity });
        if (o) {
          o.orderId = r.orderId;
          o.cumQty = r.cumQty;
          o.leavesQty = r.leavesQty;
          if (r.leavesQty <= 0) this.terminal(o, 'Filled');
          else if (o.status !== 'PendingCancel') o.status = 'PartiallyFilled';
        }
        return true;
      }
      case 'OrderCanceled':
        if (o) this.terminal(o, 'Canceled');
        return true;
      case 'OrderExpired':
        if (o) this.terminal(o, 'Expired');
        return true;
      case 'OrderRejected':
        if (o) this.terminal(o, 'Rejected');
        return true;
      case 'OrderDenied':
        this.m.denials.inc({ strategy: this.id, check: r.check });
        if (o) this.terminal(o, 'Denied');
        return true;
      case 'OrderCancelRejected':
        // The OMS has no open order under this id: it ended while nobody told us (e.g. reconciled
        // during a restart). Keeping it as working would block quoting forever.
        if (o && r.code === 'UNKNOWN_ORDER') this.terminal(o, 'Canceled');
        else if (o && o.status === 'PendingCancel') o.status = o.cumQty > 0 ? 'PartiallyFilled' : o.orderId !== null ? 'New' : 'PendingNew';
        return true;
      case 'OrderStatusReported':
        return true;
    }
  }

  private terminal(o: TrackedOrder, status: TrackedOrder['status']): void {
    o.status = status;
    o.leavesQty = 0;
    if (TERMINAL.has(status)) this.orders.delete(o.clientOrderId);
  }
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
  private readonly feats = new Map<string, SymbolFeatures>();
  private readonly m = hostMetrics();
  private readonly errors = counter({ name: 'hft_strategy_errors_total', help: 'Exceptions thrown by strategy hooks', labelNames: ['strategy', 'hook'] });
  /** Exchange time of the latest event. */
  dataTime = 0n;
  /** Publish time of the tick/book being dispatched: carried on orders for tick-to-trade latency. */
  causingTick: bigint | null = null;

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

  send(cmd: MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'>): boolean {
    return this.opts.send(cmd);
  }

  onTick(tick: Tick, tsPublish: bigint | null): void {
    this.features(tick.symbol).onTick(tick);
    this.dispatch(tick.symbol, tick.tsEvent, tsPublish, 'onTick', (s, ctx) => s.onTick?.(tick, ctx));
  }

  onBook(book: BookSnapshot): void {
    this.features(book.symbol).onBook(book);
    this.dispatch(book.symbol, book.tsEvent, book.tsPublish, 'onBook', (s, ctx) => s.onBook?.(book, ctx));
  }

  /** An execution report or denial for one of the hosted strategies. */
  onReport(r: ExecutionReport | OrderDenied): void {
    const rt = this.runtimes.get(r.strategyId);
    if (!rt) return;
    this.m.reports.inc({ strategy: rt.id, type: r.type });
    if (!rt.apply(r)) return;
    this.guard(rt, 'onExecutionReport', () => rt.strategy.onExecutionReport?.(r, rt));
    this.export(rt);
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
        openOrders: [...rt.orders.values()].map((o) => ({ ...o, sentAt: o.sentAt.toString() })),
        stats: rt.strategy.stats?.() ?? {},
      };
    });
  }

  /** The runtime (context) of a strategy, for tests and tools. */
  /**
   * After a restart: positions as the risk state store has them and the orders the ledger still has
   * working, so a strategy resumes from the truth instead of flat (and can cancel what it left behind).
   */
  restore(id: string, state: { positions: { symbol: string; qty: number; avgPx: number; realized: number; fees: number }[]; openOrders: Omit<TrackedOrder, 'sentAt' | 'tag'>[] }): void {
    const rt = this.runtimes.get(id);
    if (!rt) return;
    for (const p of state.positions) Object.assign(rt.position(p.symbol), { qty: p.qty, avgPx: p.avgPx, realized: p.realized, fees: p.fees });
    for (const o of state.openOrders) rt.orders.set(o.clientOrderId, { ...o, sentAt: this.dataTime, tag: 'restored' });
    this.export(rt);
  }

  context(id: string): StrategyContext | undefined {
    return this.runtimes.get(id);
  }
}
