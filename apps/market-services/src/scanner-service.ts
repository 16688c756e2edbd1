import type { Instrument } from '@hft/config';
import { errorMessage } from '@hft/errors';
import type { Logger } from '@hft/logging';
import type { CandleStore, StoredCandle } from '@hft/market-store';
import { encodeMessage, envelope, topics, type MessageInput, type ScannerSuggestions } from '@hft/messages';
import { priorDays, Scanner, type MinuteBar, type ScannerSettings } from '@hft/scanner';
import type { Publisher } from '@hft/transport';
import type { InstrumentCatalog } from './instrument-catalog.js';
import type { MarketMetrics } from './market-metrics.js';

const DAY_MS = 86_400_000;

/** A stored minute (instrument units) as the scanner takes it (decimals). */
function toBar(c: StoredCandle, inst: Instrument): MinuteBar {
  return { symbol: c.symbol, startMs: c.startMs, open: c.open / inst.priceScale, high: c.high / inst.priceScale, low: c.low / inst.priceScale, close: c.close / inst.priceScale, volume: c.volume / inst.qtyScale, turnover: c.turnover };
}
/** Kinds a momentum scan ranks when no universe is configured (indexes and option contracts are not traded as such). */
const SCANNED_KINDS = new Set(['equity', 'etf', 'future', 'crypto', 'fx']);

/**
 * The scanner in the daemon: closed minutes in, a scan at every N minutes of exchange time,
 * suggestions published on scan.suggestions and kept for GET /api/v1/scanner/suggestions. Each
 * instrument's earlier days come from the candle store when its first minute of a day closes.
 */
export class ScannerService {
  private readonly scanner: Scanner;
  private readonly traded = new Set<string>();
  private readonly priorFor = new Map<string, number>();
  /** Earlier days being read: a scan waits for them, so its figures do not depend on Postgres's speed. */
  private readonly loading = new Set<Promise<void>>();
  /** Scans run one after another, in time order. */
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  latest: (ScannerSuggestions & { all: ScannerSuggestions['suggestions'] }) | null = null;

  constructor(
    private readonly settings: ScannerSettings,
    private readonly configured: readonly string[],
    private readonly catalog: InstrumentCatalog,
    private readonly store: CandleStore,
    private readonly pub: Publisher,
    private readonly m: MarketMetrics,
    private readonly log: Logger,
  ) {
    this.scanner = new Scanner(settings, (s, ms) => catalog.dayStart(s, ms));
  }

  private inUniverse(symbol: string): boolean {
    if (this.configured.length) return this.configured.includes(symbol);
    const row = this.catalog.row(symbol);
    return row !== undefined && SCANNED_KINDS.has(row.kind);
  }

  onClosed(c: StoredCandle): void {
    if (!this.inUniverse(c.symbol)) return;
    const inst = this.catalog.instrument(c.symbol);
    if (!inst) return;
    this.traded.add(c.symbol);
    this.scanner.onMinute(toBar(c, inst));
    const day = this.catalog.dayStart(c.symbol, c.startMs);
    if (this.priorFor.get(c.symbol) !== day) {
      this.priorFor.set(c.symbol, day);
      const p = this.loadPrior(c.symbol, day).finally(() => this.loading.delete(p));
      this.loading.add(p);
    }
  }

  /** The previous lookback_days trading days of a symbol (weekends and holidays have no minutes, so the span is wider). */
  private async loadPrior(symbol: string, day: number): Promise<void> {
    const inst = this.catalog.instrument(symbol)!;
    const span = (this.settings.lookbackDays * 2 + 7) * DAY_MS;
    try {
      const rows = await this.store.history(symbol, day - span, day, '1m', 'UTC', 1_000_000);
      const bars = rows.map((c) => toBar(c, inst));
      const p = priorDays(bars, this.settings.lookbackDays, this.settings.windowMinutes, (ms) => this.catalog.dayStart(symbol, ms));
      this.scanner.setPrior(symbol, p);
      this.log.info({ symbol, days: p.days, high: p.high }, 'scanner: earlier days loaded');
    } catch (e) {
      this.log.warn({ symbol, err: errorMessage(e) }, 'scanner: earlier days could not be read; scanning on the day alone');
    }
  }

  /** After each frame: run the scans exchange time has reached. */
  advance(clockMs: number): void {
    for (const at of this.scanner.due(clockMs)) {
      // The scan sees only minutes closed before `at`, so later minutes arriving while it waits change nothing.
      this.chain = this.chain.then(async () => {
        await Promise.all([...this.loading]);
        this.run(at);
      });
    }
  }

  private run(at: number): void {
    const end = this.m.scanSeconds.startTimer();
    const universe = this.configured.length ? this.configured : [...this.traded].sort();
    const r = this.scanner.scan(at, universe);
    end();
    const tsEvent = BigInt(at) * 1_000_000n;
    const s = this.settings;
    const msg: MessageInput<'ScannerSuggestions'> = {
      type: 'ScannerSuggestions',
      ...envelope(null, tsEvent),
      seq: ++this.seq,
      asOf: new Date(at).toISOString(),
      everyMinutes: s.everyMinutes,
      lookbackDays: s.lookbackDays,
      windowMinutes: s.windowMinutes,
      ranked: r.ranked,
      skipped: r.skipped,
      suggestions: r.suggestions,
    };
    this.m.scans.inc();
    this.m.suggestions.inc(r.suggestions.length);
    this.latest = { ...(msg as ScannerSuggestions), all: r.all };
    this.pub.publish(topics.scanner, encodeMessage(msg));
    if (r.suggestions.length) this.log.info({ asOf: msg.asOf, top: r.suggestions.map((x) => `${x.symbol}:${x.score}`) }, 'scanner suggestions');
  }
}
