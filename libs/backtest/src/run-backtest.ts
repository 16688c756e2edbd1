import type { InstrumentRegistry } from '@hft/config';
import type { Logger } from '@hft/logging';
import { nowNs, unitsToDecimal, type Aggressor, type SubmitOrder, type Tick, type TickKind } from '@hft/messages';
import { compareInstant, L2Books, ReplayInstruments, TickMerger, TickSource, type BadRow, type FileSpec, type Instant, type RawTick } from '@hft/replay';
import { createStrategy, StrategyHost, type StrategyStatus } from '@hft/strategies';
import { Venue, type Fees, type VenueReport } from '@hft/venue';

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
 * Replay files through the production parsers, native books, strategies and exchange simulator in
 * one process, as fast as possible. Orders go straight to the simulator (no risk checks, no ledger,
 * no venue latency); book snapshots are taken once per exchange timestamp, like a conflating feed.
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
  const orderIds = new Map<string, number>();
  let nextOrderId = 1;
  const pending: VenueReport[] = [];
  const venue = new Venue(registry.all(), { stp: 'cancel-aggressor', fees: req.fees, history: 1_000_000, depth: req.bookDepth, run: 'BT' }, (r) => pending.push(r));
  const host = new StrategyHost({
    instruments: registry,
    log,
    run: 'bt',
    send: (cmd) => {
      if (cmd.type === 'SubmitOrder') {
        orders++;
        const orderId = nextOrderId++;
        orderIds.set(`${cmd.strategyId}\u0000${cmd.clientOrderId}`, orderId);
        venue.submit({ ...cmd, postOnly: cmd.postOnly ?? false, orderId } as SubmitOrder);
      } else {
        cancels++;
        const orderId = orderIds.get(`${cmd.strategyId}\u0000${cmd.clientOrderId}`);
        if (orderId !== undefined) venue.cancel({ ...cmd, orderId, reason: cmd.reason ?? 'strategy' } as never);
      }
      return true;
    },
  });
  for (const [id, params] of Object.entries(req.strategies)) host.add(id, await createStrategy(id, params, req.baseDir));
  // Reports are delivered after the call that caused them returns, as they would arrive over a socket.
  const deliver = (): void => {
    while (pending.length) {
      const r = pending.shift()!;
      if (r.type === 'OrderFilled') {
        fills++;
        if (fillsSample.length < (req.maxFills ?? 10_000)) fillsSample.push({ strategyId: r.strategyId, symbol: r.symbol, side: r.side, price: r.lastPx, qty: r.lastQty, fee: r.fee, liquidity: r.liquidity, clientOrderId: r.clientOrderId });
      }
      host.onReport(r as never);
    }
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
      kind: t.kind as TickKind,
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
      if (group && compareInstant(t, group) !== 0) flushBooks();
      group = { sec: t.sec, nsec: t.nsec };
      first ??= group;
      last = group;
      ticks++;
      if (t.kind === 1) {
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
  } finally {
    merger.close();
  }
  const dataSeconds = first && last ? last.sec - first.sec + (last.nsec - first.nsec) / 1e9 : 0;
  log.info({ ticks, orders, fills, ms: Math.round(performance.now() - started), at: nowNs().toString() }, 'backtest finished');
  return {
    ticks,
    books: snapshots,
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
