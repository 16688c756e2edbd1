import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@hft/logging';
import { nowNs, type OptionChainSnapshot } from '@hft/messages';
import type { Publisher } from '@hft/transport';
import type { InstrumentRegistry, PlatformConfig } from '@hft/config';
import { BookPublisher, type SnapshotMode } from './book-publisher.js';
import { ChainPublisher } from './chain-publisher.js';
import type { MdMetrics } from './md-metrics.js';
import { TickPublisher } from './tick-publisher.js';
import { type RawTick, type ReplayInstruments, TickMerger, openTickSource, type TickStream, type VenueEvent, type BadRow, type FileSpec, compareInstant, secondsBetween, type Instant } from '@hft/replay';

export interface ReplayOptions {
  files: FileSpec[];
  /** Multiplier of the original inter-arrival times, or 'max' for as fast as possible. */
  speed: number | 'max';
  from?: WindowBound;
  to?: WindowBound;
  loop: boolean;
  /** Only these symbols (all when undefined). */
  symbols?: ReadonlySet<string>;
  strict: boolean;
  maxBatch: number;
  bookDepth: number;
  bookSnapshots: SnapshotMode;
  /** md.book-sampled.<SYMBOL>: at most one snapshot per symbol this often; 0 = off. */
  sampledBookMs?: number;
  /** md.trade.<SYMBOL>: the trades alone, for consumers that need no quotes. */
  tradeTopic?: boolean;
  /** Before the first tick, wait until these consumers (`name`, `name@ticks`, `name@books`) have subscribed and named themselves (`topics.ready`)... */
  waitFor: readonly string[];
  /** ...or this long. */
  waitTimeoutMs: number;
  /** Called about once a second while running. */
  onProgress?: (p: ReplayProgress) => void;
}

/** Where and how option chain snapshots go (md.chain.<UNDERLYING>); without it there are none. */
export interface ChainOutput {
  pub: Publisher;
  registry: InstrumentRegistry;
  settings: PlatformConfig['options'];
  /** A VIX-divergence alert: the signal of an underlying turned iv_rich or iv_cheap. */
  onAlert?: (underlying: string, v: NonNullable<OptionChainSnapshot['volIndex']>) => void;
}

/** An instant, or a UTC time of day resolved against the date of the first tick. */
export type WindowBound = Instant | { timeOfDaySec: number };

function resolveBound(b: WindowBound | undefined, first: Instant): Instant | undefined {
  if (!b || 'sec' in b) return b;
  const midnight = first.sec - (first.sec % 86_400);
  return { sec: midnight + Math.floor(b.timeOfDaySec), nsec: 0 };
}

export interface ReplayProgress {
  ticks: number;
  badRows: number;
  fraction: number;
  dataSeconds: number;
  wallSeconds: number;
  achievedSpeed: number;
  etaSeconds: number | null;
  dataTime: Instant | null;
  loops: number;
  /** Host-clock time (epoch ms) the first tick was due: tick i is due startedAtMs + (its data time - the first's) / speed. */
  startedAtMs: number | null;
}

export interface ReplaySummary extends ReplayProgress {
  frames: number;
  snapshots: number;
  /** Option chain snapshots published (md.chain.<UNDERLYING>). */
  chainSnapshots: number;
  lagP50Seconds: number | null;
  lagP99Seconds: number | null;
  badRowsByReason: Record<string, number>;
  stopped: boolean;
}

/**
 * Replays tick files through the native books onto the tick and book streams, pacing each tick at
 * `(tickTime - firstTickTime) / speed` after the start. Ticks due together leave in one flush;
 * at 'max' a flush happens every `maxBatch` ticks.
 */
export class Replayer {
  private stopping = false;
  private readonly badByReason: Record<string, number> = {};
  private badRows = 0;
  private readonly lagsMs: number[] = [];

  constructor(
    private readonly opts: ReplayOptions,
    private readonly instruments: ReplayInstruments,
    private readonly tickPub: Publisher,
    private readonly bookPub: Publisher,
    private readonly log: Logger,
    private readonly m: MdMetrics,
    private readonly chainOutput?: ChainOutput,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  private openSources(): TickStream[] {
    return this.opts.files.map((f) =>
        openTickSource(f, this.instruments, {
          strict: this.opts.strict,
          onBadRow: (b) => this.onBadRow(b),
          onVenueEvent: (e) => this.onVenueEvent(e),
          chunkBytes: this.opts.speed === 'max' ? 1 << 18 : 1 << 14,
        }),
    );
  }

  private lastBadLog = 0;
  private onBadRow(b: BadRow): void {
    this.badRows++;
    this.badByReason[b.reason] = (this.badByReason[b.reason] ?? 0) + 1;
    this.m.badRows.inc({ reason: b.reason });
    // Every bad row is counted; the log keeps the first 100 and then one a second.
    const now = Date.now();
    if (this.badRows <= 100 || now - this.lastBadLog >= 1000) {
      this.lastBadLog = now;
      const where = b.offset === undefined ? `${b.file}:${b.line}` : `${b.file} message ${b.line}`;
      this.log.warn({ file: b.file, line: b.line, offset: b.offset, reason: b.reason, detail: b.detail }, `${where}: ${b.reason}: ${b.detail} (${b.offset === undefined ? 'row' : 'message'} skipped)`);
    }
  }

  /** ITCH's own events: logged and counted; a broken trade cannot be unpublished, so it is reported. */
  private onVenueEvent(e: VenueEvent): void {
    const symbol = 'sym' in e ? this.instruments.list[e.sym]!.symbol : undefined;
    const at = `${e.sec}.${String(e.nsec).padStart(9, '0')}`;
    switch (e.kind) {
      case 'system_event':
        this.m.venueEvents.inc({ event: `system_${e.code}` });
        this.log.info({ code: e.code, at }, `ITCH system event ${e.code}`);
        break;
      case 'trading_state':
        this.m.venueEvents.inc({ event: `trading_${e.state}` });
        this.m.tradingState.set({ symbol }, e.state.charCodeAt(0));
        this.log.info({ symbol, state: e.state, at }, `${symbol}: trading state ${e.state}`);
        break;
      case 'broken_trade':
        this.m.venueEvents.inc({ event: 'broken_trade' });
        this.log.warn({ symbol, priceUnits: e.priceUnits, qtyUnits: e.qtyUnits, at }, `${symbol}: a trade published earlier was broken by the exchange (${e.qtyUnits} @ ${e.priceUnits} units)`);
        break;
    }
  }

  /**
   * Before the first tick: wait (bounded) until every named consumer has subscribed to its streams
   * (`name` = ticks and books, `name@ticks` or `name@books` = that one). Each names itself after its
   * topics, so once the name is here its topics are too.
   */
  private async waitForConsumers(deadline: number): Promise<void> {
    if (this.opts.waitFor.length === 0) return;
    for (const [stream, pub] of [['ticks', this.tickPub], ['books', this.bookPub]] as const) {
      const names = this.opts.waitFor.flatMap((entry) => {
        const [name, only] = entry.split('@');
        return only === undefined || only === stream ? [name!] : [];
      });
      const missing = await pub.waitForConsumers(names, Math.max(0, deadline - Date.now()));
      if (missing.length) this.log.warn({ stream, missing, waitedFor: names }, `starting without ${missing.join(', ')} on ${stream} (timeout)`);
    }
  }

  async run(): Promise<ReplaySummary> {
    const o = this.opts;
    // Open every file first: a missing, empty or unrecognised file fails before anything is sent.
    let sources = this.openSources();
    const waitDeadline = Date.now() + o.waitTimeoutMs;
    let waited = false;
    const list = this.instruments.list;
    const ticks = new TickPublisher(this.tickPub, list, o.maxBatch, this.m, o.tradeTopic ?? false);
    const books = new BookPublisher(this.bookPub, list, o.bookDepth, o.bookSnapshots, this.m, o.sampledBookMs ?? 0);
    const co = this.chainOutput;
    const chains = co ? new ChainPublisher(co.pub, list, co.registry, co.settings, books, this.m, co.onAlert) : null;
    const symbolOk = list.map((i) => !o.symbols || o.symbols.has(i.symbol));
    const paced = o.speed !== 'max';
    const speed = paced ? (o.speed as number) : Infinity;
    this.m.targetSpeed.set(paced ? speed : 0);
    this.m.running.set(1);

    let dataStart: Instant | null = null;
    let dataNow: Instant | null = null;
    let wallStart = 0;
    let startedAtMs: number | null = null;
    let loops = 0;
    let shiftSec = 0;
    let loopSpanSec = 0;
    let pendingDue: number[] = [];
    let sinceFlush = 0;
    let sinceProgress = 0;
    let lastProgress = performance.now();
    let merger = new TickMerger(sources);
    let from: Instant | undefined;
    let to: Instant | undefined;
    let windowResolved = false;
    const publishTime = (): bigint => nowNs();

    const flush = (): void => {
      const ts = nowNs();
      ticks.flush(ts);
      books.flush(ts);
      chains?.flush();
      if (pendingDue.length > 0) {
        const now = performance.now();
        for (const due of pendingDue) {
          const lag = Math.max(0, now - due);
          this.m.lag.observe(lag / 1000);
          if (this.lagsMs.length < 1_000_000) this.lagsMs.push(lag);
        }
        pendingDue = [];
      }
      sinceFlush = 0;
    };

    const progress = (): ReplayProgress => {
      const wall = wallStart ? (performance.now() - wallStart) / 1000 : 0;
      // dataNow is already shifted by the loops passed (timestamps keep increasing): no loop span to add.
      const data = dataStart && dataNow ? secondsBetween(dataNow, dataStart) : 0;
      const fraction = merger.totalBytes > 0 ? merger.bytesRead / merger.totalBytes : 0;
      const achievedSpeed = wall > 0 ? data / wall : 0;
      return {
        ticks: ticks.ticks,
        badRows: this.badRows,
        fraction,
        dataSeconds: data,
        wallSeconds: wall,
        achievedSpeed,
        etaSeconds: fraction > 0.001 && !o.loop ? (wall * (1 - fraction)) / fraction : null,
        dataTime: dataNow,
        loops,
        startedAtMs,
      };
    };

    try {
      for (;;) {
        const t: RawTick | null = merger.take();
        let endOfPass = false;
        if (t === null) {
          if (sinceFlush > 0) flush();
          if (this.stopping) break;
          if (await merger.refill()) continue;
          endOfPass = true;
        } else {
          if (!windowResolved) {
            from = resolveBound(o.from, t);
            to = resolveBound(o.to, t);
            windowResolved = true;
          }
          if (to && compareInstant(t, to) > 0) endOfPass = true;
        }
        if (endOfPass) {
          if (!o.loop || this.stopping || !dataStart || !dataNow) break;
          // Next pass: same files again, shifted in time so exchange timestamps keep increasing.
          if (loops === 0) loopSpanSec = Math.ceil(secondsBetween(dataNow, dataStart)) + 1;
          loops++;
          shiftSec = loops * loopSpanSec;
          merger.close();
          sources = this.openSources();
          merger = new TickMerger(sources);
          continue;
        }
        if (!symbolOk[t!.sym]) continue;
        if (from && compareInstant(t!, from) < 0) continue;
        const tick = t!;
        if (!waited) {
          waited = true;
          await this.waitForConsumers(waitDeadline);
        }
        tick.sec += shiftSec;
        if (dataStart === null) {
          dataStart = { sec: tick.sec, nsec: tick.nsec };
          // Host clock first (its first call calibrates, which takes a while), then the pacing clock.
          startedAtMs = Number(nowNs()) / 1e6;
          wallStart = performance.now();
          this.log.info({ speed: o.speed, files: o.files.map((f) => f.path) }, 'replay started');
        }
        dataNow = tick;
        if (paced) {
          const due = wallStart + (secondsBetween(tick, dataStart) * 1000) / speed;
          const ahead = due - performance.now();
          if (ahead > 1) {
            if (sinceFlush > 0) flush();
            await sleep(ahead);
            if (this.stopping) break;
          }
          pendingDue.push(due);
        }
        ticks.add(tick, publishTime);
        chains?.onTick(tick);
        books.update(tick, publishTime);
        // Never between two level updates of one source event: its book snapshot waits for the last.
        if (++sinceFlush >= o.maxBatch && !tick.more) flush();
        if (++sinceProgress >= 256) {
          sinceProgress = 0;
          const now = performance.now();
          if (now - lastProgress >= 1000) {
            lastProgress = now;
            const p = progress();
            this.m.speed.set(p.achievedSpeed);
            this.m.progress.set(p.fraction);
            o.onProgress?.(p);
            // Yield so sockets, HTTP and signals get served during a max-speed replay.
            await new Promise((r) => setImmediate(r));
          }
        }
      }
      if (sinceFlush > 0) flush();
      chains?.flush(true);
    } finally {
      merger.close();
      books.close();
      this.m.running.set(0);
    }
    await Promise.all([this.tickPub.drain(), this.bookPub.drain(), co?.pub.drain()]);
    const p = progress();
    this.m.speed.set(p.achievedSpeed);
    this.m.progress.set(1);
    const sorted = [...this.lagsMs].sort((a, b) => a - b);
    const q = (f: number): number | null => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]! / 1000 : null);
    return {
      ...p,
      frames: ticks.frames,
      snapshots: books.snapshots,
      chainSnapshots: chains?.snapshots ?? 0,
      lagP50Seconds: q(0.5),
      lagP99Seconds: q(0.99),
      badRowsByReason: { ...this.badByReason },
      stopped: this.stopping,
    };
  }
}
