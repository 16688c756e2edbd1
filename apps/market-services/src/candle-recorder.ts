import { setTimeout as sleep } from 'node:timers/promises';
import type { Instrument } from '@hft/config';
import { errorMessage } from '@hft/errors';
import type { Logger } from '@hft/logging';
import { MinuteCandles, type CandleStore, type StoredCandle } from '@hft/market-store';
import type { Tick } from '@hft/messages';
import type { MarketMetrics } from './market-metrics.js';

export interface RecorderOptions {
  lingerMs: number;
  /** Closed candles held while Postgres is away; beyond this the oldest are dropped (counted). */
  maxBacklog: number;
}

/**
 * Trades from the tick stream into 1-minute candles, written to the candle store as they close,
 * behind the stream (gathered for lingerMs, retried while Postgres is away). A minute closes when a
 * later trade of its symbol arrives or exchange time passes its end.
 */
export class CandleRecorder {
  private readonly minutes: MinuteCandles;
  private queue: StoredCandle[] = [];
  /** The batch being written: still served from memory until Postgres has it. */
  private inflight: StoredCandle[] = [];
  private writing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private backoffMs = 0;

  constructor(
    private readonly store: CandleStore,
    private readonly m: MarketMetrics,
    private readonly log: Logger,
    private readonly opts: RecorderOptions,
    /** Every closed minute, as it closes (the scanner's input). */
    private readonly onClosed: (c: StoredCandle) => void,
  ) {
    this.minutes = new MinuteCandles((c) => this.closed(c));
  }

  get clockMs(): number {
    return this.minutes.clockMs;
  }

  trade(t: Tick, inst: Instrument): void {
    this.minutes.trade(inst, Number(t.tsEvent / 1_000_000n), t.priceUnits, t.qtyUnits);
  }

  /** After each frame: close the minutes exchange time has passed. */
  advance(): void {
    this.minutes.advance(this.minutes.clockMs);
    this.m.exchangeTime.set(this.minutes.clockMs / 1000);
  }

  current(symbol: string): StoredCandle | null {
    return this.minutes.current(symbol);
  }

  /**
   * A symbol's minutes Postgres may not have yet, oldest first: closed ones waiting or being written,
   * then the one being built. They are its newest minutes (a symbol's minutes close in time order), so
   * a read takes the store before the first of them and these from memory, never a minute twice.
   */
  live(symbol: string): StoredCandle[] {
    const out = [...this.inflight, ...this.queue].filter((c) => c.symbol === symbol);
    const cur = this.minutes.current(symbol);
    if (cur) out.push(cur);
    return out.sort((a, b) => a.startMs - b.startMs);
  }

  get backlog(): number {
    return this.queue.length;
  }

  start(): this {
    this.timer = setInterval(() => void this.flush(), this.opts.lingerMs);
    return this;
  }

  private closed(c: StoredCandle): void {
    this.queue.push(c);
    if (this.queue.length > this.opts.maxBacklog) {
      const drop = this.queue.length - this.opts.maxBacklog;
      this.queue.splice(0, drop);
      this.m.candlesDropped.inc(drop);
    }
    this.m.candleBacklog.set(this.queue.length);
    this.onClosed(c);
  }

  /** Write what has closed (one write at a time; a failed batch goes back to the front). */
  flush(): Promise<void> {
    if (this.writing || this.queue.length === 0) return this.writing ?? Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    this.inflight = batch;
    this.writing = (async () => {
      if (this.backoffMs) await sleep(this.backoffMs);
      const end = this.m.writeSeconds.startTimer();
      try {
        const c = await this.store.upsert(batch, 'live');
        this.m.candlesWritten.inc({ outcome: 'inserted' }, c.inserted);
        this.m.candlesWritten.inc({ outcome: 'updated' }, c.updated);
        this.m.candlesWritten.inc({ outcome: 'unchanged' }, c.unchanged);
        this.backoffMs = 0;
      } catch (e) {
        this.queue = [...batch, ...this.queue];
        this.m.candleWriteErrors.inc();
        this.backoffMs = Math.min(5000, Math.max(100, this.backoffMs * 2));
        this.log.warn({ err: errorMessage(e), waiting: this.queue.length, retryMs: this.backoffMs }, 'candle store write failed; retrying');
      } finally {
        this.inflight = [];
        end();
        this.m.candleBacklog.set(this.queue.length);
        this.writing = null;
      }
    })();
    return this.writing;
  }

  /** On shutdown: the minutes still open are written as they stand (every trade seen of them), then everything waiting. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.minutes.flush();
    for (let i = 0; i < 3 && (this.queue.length || this.writing); i++) {
      await this.writing;
      await this.flush();
    }
  }
}
