import type { InstrumentRegistry, PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import { nowNs, TickKind, unitsToDecimal, type Aggressor, type CancelOrder, type OrderApproved, type OrderEvent, type Tick } from '@hft/messages';
import { ChainFeed } from '@hft/options';
import { OrderManager, type Outcome } from '@hft/orders';
import { compareInstant, L2Books, ReplayInstruments, TickMerger, TickSource, type BadRow, type FileSpec, type Instant, type RawTick } from '@hft/replay';
import { createStrategy, StrategyHost, type StrategyStatus } from '@hft/strategies';
import { Venue, type Fees } from '@hft/venue';

export interface BacktestRequest {
  files: FileSpec[];
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
}

export interface BacktestResult {
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
  const sources = req.files.map((f) => new TickSource(f, instruments, { strict: false, chunkBytes: 1 << 18, onBadRow: (_b: BadRow) => badRows++ }));
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
  const manager = new OrderManager({ instruments: registry, now: () => dataTime });
  const pending: OrderEvent[] = [];
  const apply = (out: Outcome): void => {
    pending.push(...out.events);
    for (const v of out.venue) {
      if (v.type === 'VenueSubmitOrder') venue.submit(v);
      else venue.cancel(v);
    }
  };
  const venue = new Venue(registry.all(), { stp: 'cancel-aggressor', fees: req.fees, history: 1_000_000, depth: req.bookDepth, run: 'BT' }, (r) => apply(manager.onVenueReport(r as never)));
  const host = new StrategyHost({
    instruments: registry,
    log,
    run: 'bt',
    send: (cmd) => {
      if (cmd.type === 'SubmitOrder') {
        orders++;
        const { type: _t, ...fields } = cmd;
        apply(manager.approve({ ...fields, type: 'OrderApproved', postOnly: cmd.postOnly ?? false } as OrderApproved));
      } else {
        cancels++;
        apply(manager.cancel({ ...cmd, reason: cmd.reason ?? 'strategy' } as CancelOrder));
      }
      return true;
    },
  });
  for (const [id, params] of Object.entries(req.strategies)) host.add(id, await createStrategy(id, params, req.baseDir));
  const deliver = (): void => {
    while (pending.length) {
      const e = pending.shift()!;
      if (e.type === 'OrderFilled') {
        fills++;
        if (fillsSample.length < (req.maxFills ?? 10_000)) fillsSample.push({ strategyId: e.strategyId, symbol: e.symbol, side: e.side, price: e.lastPx, qty: e.lastQty, fee: e.fee, liquidity: e.liquidity, clientOrderId: e.clientOrderId });
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
      host.onChain(snap);
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
      host.onBook(snap);
      deliver();
    }
    changed.clear();
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
  try {
    for (;;) {
      const t = merger.take();
      if (!t) {
        if (await merger.refill()) continue;
        break;
      }
      if ((ticks & 4095) === 0 && req.signal?.aborted) break;
      if (req.from && compareInstant(t, req.from) < 0) continue;
      if (req.to && compareInstant(t, req.to) > 0) break;
      if (group && compareInstant(t, group) !== 0) {
        flushBooks();
        flushChains();
      }
      group = { sec: t.sec, nsec: t.nsec };
      dataTime = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
      first ??= group;
      last = group;
      ticks++;
      chainFeed?.onTick(t);
      // Trades and open interest go to the strategies as ticks; level updates build the books they see.
      if (t.kind === TickKind.Trade || t.kind === TickKind.OpenInterest) {
        const tick = toTick(t, t.sym);
        venue.onTick(tick);
        deliver();
        host.onTick(tick, null);
        deliver();
      } else {
        books.update(t);
        changed.add(t.sym);
      }
    }
    flushBooks();
    flushChains(true);
  } finally {
    merger.close();
  }
  const dataSeconds = first && last ? last.sec - first.sec + (last.nsec - first.nsec) / 1e9 : 0;
  log.info({ ticks, orders, fills, ms: Math.round(performance.now() - started), at: nowNs().toString() }, 'backtest finished');
  return {
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
  };
}
