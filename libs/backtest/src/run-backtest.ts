import type { InstrumentRegistry, PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import { envelope, nowNs, TickKind, unitsToDecimal, type Aggressor, type BookSnapshot, type CancelOrder, type ReplaceOrder, type ConditionalEvent, type ConditionalOrderRefused, type OrderApproved, type OrderEvent, type Tick } from '@hft/messages';
import { ChainFeed } from '@hft/options';
import { OrderManager, type Outcome } from '@hft/orders';
import { compareInstant, L2Books, ReplayInstruments, TickMerger, openTickSource, type BadRow, type FileSpec, type Instant, type RawTick, type TickStream } from '@hft/replay';
import { createStrategy, StrategyHost, type StrategyStatus } from '@hft/strategies';
import { ConditionalBook, childProgress, conditionalEvent, toSpec, type PlaceFields } from '@hft/triggers';
import { Venue, type Fees } from '@hft/venue';

export interface BacktestRequest {
  files: FileSpec[];
  /** Ticks from elsewhere, merged with the files by time (the candle store's bars: CandleTickStream). They need `instruments` to be the registry they were opened with. */
  sources?: (instruments: ReplayInstruments) => TickStream[];
  from?: Instant;
  to?: Instant;
  /** Strategy id -> its parameters (as in [strategy.params.<id>]). */
  strategies: Record<string, Record<string, unknown>>;
  /** Directory plugin modules are resolved from. */
  baseDir: string;
  fees: (symbol: string) => Fees;
  bookDepth: number;
  /** Option analytics ([options]): strategies following a chain get the snapshots market-data would publish. */
  options?: PlatformConfig['options'];
  /** Fills kept in the result (the counts cover all of them). */
  maxFills?: number;
  /** Stop early (the result says so) when this aborts. */
  signal?: AbortSignal;
  /** Sample the strategies' marked-to-market PnL this often in data time (ms) for the equity curve (default 1000). */
  equityEveryMs?: number;
  /** Conditional orders (GTT, stops, brackets) placed by the caller, before the first tick past `after` (at the start without). */
  conditional?: { after?: Instant; order: PlaceFields }[];
}

/** A conditional order's trigger: what crossed, when (exchange time) and where. */
export interface BacktestTrigger {
  conditionalId: string;
  strategyId: string;
  part: 'entry' | 'leg0' | 'leg1';
  clientOrderId: string;
  price: number;
  level: number;
  /** Exchange time of the tick that crossed (ns, decimal string). */
  tsEvent: string;
}

export interface BacktestFill {
  strategyId: string;
  symbol: string;
  side: 'buy' | 'sell';
  price: number;
  qty: number;
  fee: number;
  liquidity: 'maker' | 'taker';
  clientOrderId: string;
  /** Data time of the fill, ns since the epoch (decimal string). */
  ts: string;
}

/** A symbol's last trade price at each equity step (ms since the epoch, price): the price chart of a report. */
export interface PriceSeries {
  symbol: string;
  points: [number, number][];
}

/**
 * Tick-to-trade inside the backtest: wall time from handing a tick, book or chain to the strategies to
 * each order they send in answer (their own compute; a backtest has no network or venue latency).
 */
export interface TickToTrade {
  count: number;
  p50Us: number | null;
  p90Us: number | null;
  p99Us: number | null;
  maxUs: number | null;
  /** Orders by latency bucket: `leUs` is the bucket's upper bound (1-2-5 steps; null: above the last). */
  histogram: { leUs: number | null; count: number }[];
}

/** A point of the equity curve: data time (ns, decimal string) and PnL, in total and per strategy. */
export interface EquityPoint {
  ts: string;
  pnl: number;
  byStrategy: Record<string, number>;
}

export interface BacktestResult {
  /** The strategies' PnL over data time (marked to market), one point per equityEveryMs and one at the end. */
  equity: EquityPoint[];
  ticks: number;
  books: number;
  /** Option chain snapshots handed to the strategies. */
  chains: number;
  badRows: number;
  dataSeconds: number;
  wallSeconds: number;
  orders: number;
  cancels: number;
  fills: number;
  rejects: Record<string, number>;
  /** True when the request was aborted before the end of the data. */
  aborted: boolean;
  strategies: StrategyStatus[];
  fillsSample: BacktestFill[];
  /** The traded symbols' prices over data time (the strategies' symbols and any filled). */
  prices: PriceSeries[];
  tickToTrade: TickToTrade;
  /** Conditional orders: every trigger in order, and how each order ended (or stands at the end). */
  conditional: { triggers: BacktestTrigger[]; orders: { conditionalId: string; strategyId: string; status: string; reason: string | null }[]; refused: { conditionalId: string; code: string; reason: string }[] };
}

/**
 * Replay files through the production parsers, native books, strategies, the OMS's order manager and
 * the exchange simulator in one process, as fast as possible. No risk checks, no ledger, no venue
 * latency; book snapshots are taken once per exchange timestamp, like a conflating feed.
 */
export async function runBacktest(req: BacktestRequest, registry: InstrumentRegistry, log: Logger): Promise<BacktestResult> {
  const started = performance.now();
  const instruments = new ReplayInstruments(registry);
  let badRows = 0;
  const sources = [...req.files.map((f) => openTickSource(f, instruments, { strict: false, chunkBytes: 1 << 18, onBadRow: (_b: BadRow) => badRows++ })), ...(req.sources?.(instruments) ?? [])];
  const merger = new TickMerger(sources);
  const books = new L2Books(instruments.list, req.bookDepth);
  let orders = 0;
  let cancels = 0;
  let fills = 0;
  const fillsSample: BacktestFill[] = [];
  // The OMS's order manager and the exchange simulator in process: orders get their ids and every
  // event its sequence exactly as in the daemons; events are delivered after the call that caused
  // them returns, as they would arrive over a socket.
  let dataTime = 0n;
  // Tick-to-trade: when the market event now being handed to the strategies was handed over (0: none).
  let stimulus = 0;
  const latencies: number[] = [];
  const priced = new Set<string>();
  const manager = new OrderManager({ instruments: registry, now: () => dataTime });
  const pending: OrderEvent[] = [];
  const apply = (out: Outcome): void => {
    pending.push(...out.events);
    for (const v of out.venue) {
      if (v.type === 'VenueSubmitOrder') venue.submit(v);
      else if (v.type === 'VenueReplaceOrder') venue.replace(v);
      else venue.cancel(v);
    }
  };
  // The trigger engine the OMS runs, in process: its children go through the same manager as strategy orders.
  const triggers: BacktestTrigger[] = [];
  const refusedConditional: BacktestResult['conditional']['refused'] = [];
  const conditionalOut: (ConditionalEvent | ConditionalOrderRefused)[] = [];
  const conditionalSeq = new Map<string, number>();
  const book = new ConditionalBook({
    changed: (r, c) => {
      const seq = (conditionalSeq.get(r.spec.strategyId) ?? 0) + 1;
      conditionalSeq.set(r.spec.strategyId, seq);
      const ev = conditionalEvent(r, c, book.levels(r.spec.id), registry.get(r.spec.symbol), seq, () => dataTime) as unknown as ConditionalEvent;
      if (ev.type === 'ConditionalOrderTriggered') triggers.push({ conditionalId: ev.conditionalId, strategyId: ev.strategyId, part: ev.part, clientOrderId: ev.clientOrderId, price: ev.price, level: ev.level, tsEvent: BigInt(ev.tsEvent).toString() });
      conditionalOut.push(ev);
    },
    trailed: () => {},
    submit: (r, child) => {
      orders++;
      const inst = registry.get(r.spec.symbol);
      const price = child.price === null ? null : child.price / inst.priceScale;
      apply(manager.approve({ type: 'OrderApproved', ...envelope(null, dataTime), strategyId: r.spec.strategyId, clientOrderId: child.clientOrderId, symbol: r.spec.symbol, side: child.side, orderType: child.orderType, timeInForce: child.orderType === 'market' ? 'ioc' : 'gtc', postOnly: false, price, quantity: child.quantity / inst.qtyScale, tsTick: null } as OrderApproved));
    },
    cancelChild: (r, clientOrderId, reason) => {
      cancels++;
      apply(manager.cancel({ type: 'CancelOrder', ...envelope(null, dataTime), strategyId: r.spec.strategyId, clientOrderId, symbol: r.spec.symbol, reason } as CancelOrder));
    },
  });
  const placeConditional = (order: PlaceFields): void => {
    const inst = registry.find(order.symbol);
    const spec = inst ? toSpec(order, inst) : ({ code: 'unknown_instrument', reason: `${order.symbol} is not an instrument of this platform` } as const);
    const refused = 'code' in spec ? spec : book.place(spec);
    if (!refused) return;
    refusedConditional.push({ conditionalId: order.conditionalId, code: refused.code, reason: refused.reason });
    conditionalOut.push({ type: 'ConditionalOrderRefused', ...envelope(null, dataTime), strategyId: order.strategyId, conditionalId: order.conditionalId, code: refused.code, reason: refused.reason });
  };
  const toPlace = [...(req.conditional ?? [])].sort((a, b) => (a.after && b.after ? compareInstant(a.after, b.after) : a.after ? 1 : b.after ? -1 : 0));
  const venue = new Venue(registry.all(), { stp: 'cancel-aggressor', fees: req.fees, history: 1_000_000, depth: req.bookDepth, run: 'BT' }, (r) => apply(manager.onVenueReport(r as never)));
  const host = new StrategyHost({
    instruments: registry,
    log,
    run: 'bt',
    send: (cmd) => {
      if (cmd.type === 'SubmitOrder') {
        orders++;
        if (stimulus > 0 && latencies.length < 1_000_000) latencies.push((performance.now() - stimulus) * 1000);
        const { type: _t, ...fields } = cmd;
        apply(manager.approve({ ...fields, type: 'OrderApproved', postOnly: cmd.postOnly ?? false } as OrderApproved));
      } else if (cmd.type === 'CancelOrder') {
        cancels++;
        apply(manager.cancel({ ...cmd, reason: cmd.reason ?? 'strategy' } as CancelOrder));
      } else if (cmd.type === 'ReplaceOrder') {
        apply(manager.replace({ ...cmd, reason: cmd.reason ?? 'strategy' } as ReplaceOrder));
      } else if (cmd.type === 'PlaceConditionalOrder') {
        const { type: _t, eventId: _e, tsEvent: _ts, tsInit: _i, causationId: _c, seq: _s, ...fields } = cmd;
        placeConditional({ ...fields, entry: fields.entry ? { triggerOn: 'last', ...fields.entry } : null, legs: fields.legs.map((l) => ({ triggerOn: 'last', ...l })) } as PlaceFields);
      } else {
        const r = book.cancel(cmd.conditionalId, cmd.reason ?? 'strategy');
        if (r) conditionalOut.push({ type: 'ConditionalOrderRefused', ...envelope(null, dataTime), strategyId: cmd.strategyId, conditionalId: cmd.conditionalId, code: r.code, reason: r.reason });
      }
      return true;
    },
  });
  for (const [id, params] of Object.entries(req.strategies)) host.add(id, await createStrategy(id, params, req.baseDir));
  const deliver = (): void => {
    while (pending.length || conditionalOut.length) {
      if (!pending.length) {
        host.onConditionalEvent(conditionalOut.shift()!);
        continue;
      }
      const e = pending.shift()!;
      // A child's fills and end move its conditional order (as the OMS's trigger engine hears them).
      if (e.clientOrderId.includes(':')) {
        const p = childProgress(e, registry.get(e.symbol).qtyScale);
        if (p) book.onChild(e.clientOrderId, p.cumQty, p.ended);
      }
      if (e.type === 'OrderFilled') {
        fills++;
        if (fillsSample.length < (req.maxFills ?? 10_000)) fillsSample.push({ strategyId: e.strategyId, symbol: e.symbol, side: e.side, price: e.lastPx, qty: e.lastQty, fee: e.fee, liquidity: e.liquidity, clientOrderId: e.clientOrderId, ts: dataTime.toString() });
        priced.add(e.symbol);
      }
      host.onOrderEvent(e);
    }
  };

  // The chain snapshots market-data would publish, from the same books at the same data times.
  const chainFeed = req.options && host.underlyings().length ? new ChainFeed(instruments.list, registry, req.options, (syms, out) => books.bboMany(syms, out)) : null;
  let chains = 0;
  const flushChains = (final = false): void => {
    chainFeed?.flush((snap) => {
      chains++;
      stimulus = performance.now();
      host.onChain(snap);
      stimulus = 0;
      deliver();
    }, final);
  };
  const seq = instruments.list.map(() => 0);
  const bookSeq = instruments.list.map(() => 0);
  const changed = new Set<number>();
  let first: Instant | null = null;
  let last: Instant | null = null;
  let group: Instant | null = null;
  let ticks = 0;
  let snapshots = 0;
  const flushBooks = (): void => {
    if (!changed.size) return;
    books.apply();
    const ts = BigInt(group!.sec) * 1_000_000_000n + BigInt(group!.nsec);
    for (const sym of changed) {
      const snap = books.snapshot(sym, ++bookSeq[sym]!, ts, ts);
      snapshots++;
      venue.onBook(snap);
      deliver();
      quotes(snap);
      deliver();
      stimulus = performance.now();
      host.onBook(snap);
      stimulus = 0;
      deliver();
    }
    changed.clear();
  };
  // Quote triggers from the book tops, as the OMS takes them from md.book.<SYMBOL>.
  const quotes = (b: BookSnapshot): void => {
    const bid = b.bids[0]?.priceUnits;
    const ask = b.asks[0]?.priceUnits;
    if (bid !== undefined || ask !== undefined) book.onQuote(b.symbol, { ...(bid !== undefined ? { bid } : {}), ...(ask !== undefined ? { ask } : {}) }, { seq: b.seq, ts: b.tsEvent });
  };
  const toTick = (t: RawTick, sym: number): Tick => {
    const inst = instruments.list[sym]!;
    return {
      symbol: inst.symbol,
      seq: ++seq[sym]!,
      tsEvent: BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec),
      kind: t.kind,
      aggressor: t.aggressor as Aggressor,
      priceUnits: t.priceUnits,
      qtyUnits: t.qtyUnits,
      price: unitsToDecimal(t.priceUnits, -inst.priceDecimals),
      qty: unitsToDecimal(t.qtyUnits, -inst.qtyDecimals),
    };
  };
  const equity: EquityPoint[] = [];
  const equityStep = BigInt(Math.max(1, req.equityEveryMs ?? 1000)) * 1_000_000n;
  let nextEquity: bigint | null = null;
  const sampleEquity = (at: bigint): void => {
    const byStrategy: Record<string, number> = {};
    let pnl = 0;
    for (const st of host.status()) {
      byStrategy[st.id] = st.pnl;
      pnl += st.pnl;
    }
    equity.push({ ts: at.toString(), pnl, byStrategy });
    const ms = Number(at / 1_000_000n);
    for (const s of priced) {
      const px = lastPrice.get(s);
      if (px === undefined) continue;
      let series = prices.get(s);
      if (!series) prices.set(s, (series = []));
      series.push([ms, px]);
    }
  };
  const lastPrice = new Map<string, number>();
  const prices = new Map<string, [number, number][]>();
  for (const st of host.status()) for (const s of st.symbols) priced.add(s);
  try {
    for (;;) {
      const t = merger.take();
      if (!t) {
        if (await merger.refill()) continue;
        break;
      }
      if ((ticks & 4095) === 0 && req.signal?.aborted) break;
      // A long run gives the event loop a turn now and then (a sweep worker's lock renewals, an HTTP server's requests).
      if ((ticks & 65535) === 65535) await new Promise((r) => setImmediate(r));
      if (req.from && compareInstant(t, req.from) < 0) continue;
      if (req.to && compareInstant(t, req.to) > 0) break;
      while (toPlace.length && (!toPlace[0]!.after || compareInstant(t, toPlace[0]!.after) > 0)) {
        placeConditional(toPlace.shift()!.order);
        deliver();
      }
      if (group && compareInstant(t, group) !== 0) {
        flushBooks();
        flushChains();
      }
      group = { sec: t.sec, nsec: t.nsec };
      dataTime = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
      if (nextEquity === null) nextEquity = dataTime + equityStep;
      else if (dataTime >= nextEquity) {
        sampleEquity(nextEquity);
        nextEquity += ((dataTime - nextEquity) / equityStep + 1n) * equityStep;
      }
      first ??= group;
      last = group;
      ticks++;
      chainFeed?.onTick(t);
      // Trades and open interest go to the strategies as ticks; level updates build the books they see.
      if (t.kind === TickKind.Trade || t.kind === TickKind.OpenInterest) {
        const tick = toTick(t, t.sym);
        venue.onTick(tick);
        deliver();
        if (t.kind === TickKind.Trade) book.onQuote(tick.symbol, { last: tick.priceUnits }, { seq: tick.seq, ts: tick.tsEvent });
        deliver();
        stimulus = performance.now();
        host.onTick(tick, null);
        stimulus = 0;
        deliver();
        lastPrice.set(tick.symbol, tick.price);
      } else {
        books.update(t);
        changed.add(t.sym);
      }
    }
    flushBooks();
    flushChains(true);
    if (last) sampleEquity(BigInt(last.sec) * 1_000_000_000n + BigInt(last.nsec));
  } finally {
    merger.close();
  }
  const dataSeconds = first && last ? last.sec - first.sec + (last.nsec - first.nsec) / 1e9 : 0;
  log.info({ ticks, orders, fills, ms: Math.round(performance.now() - started), at: nowNs().toString() }, 'backtest finished');
  return {
    equity,
    ticks,
    books: snapshots,
    chains,
    badRows,
    dataSeconds,
    wallSeconds: (performance.now() - started) / 1000,
    orders,
    cancels,
    fills,
    rejects: { ...venue.rejects },
    aborted: req.signal?.aborted ?? false,
    strategies: host.status(),
    fillsSample,
    prices: [...prices].map(([symbol, points]) => ({ symbol, points })),
    tickToTrade: tickToTrade(latencies),
    conditional: { triggers, orders: [...book.all()].map((r) => ({ conditionalId: r.spec.id, strategyId: r.spec.strategyId, status: r.status, reason: r.reason })), refused: refusedConditional },
  };
}

const BUCKETS_US = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, Infinity];

function tickToTrade(us: number[]): TickToTrade {
  const sorted = Float64Array.from(us).sort();
  const q = (f: number): number | null => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]! * 100) / 100 : null);
  const counts = BUCKETS_US.map(() => 0);
  for (const v of sorted) counts[BUCKETS_US.findIndex((b) => v <= b)]!++;
  let last = counts.length - 1;
  while (last >= 0 && counts[last] === 0) last--;
  const first = counts.findIndex((c) => c > 0);
  return {
    count: sorted.length,
    p50Us: q(0.5),
    p90Us: q(0.9),
    p99Us: q(0.99),
    maxUs: sorted.length ? Math.round(sorted[sorted.length - 1]! * 100) / 100 : null,
    histogram: first < 0 ? [] : BUCKETS_US.slice(first, last + 1).map((leUs, i) => ({ leUs: Number.isFinite(leUs) ? leUs : null, count: counts[first + i]! })),
  };
}
