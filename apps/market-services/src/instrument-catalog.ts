import pg from 'pg';
import { DateTime } from 'luxon';
import { InstrumentRegistry, type Instrument, type PlatformConfig } from '@hft/config';
import { errorMessage } from '@hft/errors';
import type { Logger } from '@hft/logging';
import { InstrumentSearch, INSTRUMENTS_CHANNEL, registryOf, rowFromConfig, type InstrumentMaster, type InstrumentRow } from '@hft/market-store';
import type { MarketMetrics } from './market-metrics.js';

/**
 * The instrument master as market-services serves it: every row in memory for search and lookups,
 * the registry (grids) built from it, rebuilt when a write to the master is announced (NOTIFY).
 */
export class InstrumentCatalog {
  private rows = new Map<string, InstrumentRow>();
  search = new InstrumentSearch([]);
  registry: InstrumentRegistry;
  private listener: pg.Client | null = null;
  private reloading: Promise<void> | null = null;

  constructor(
    private readonly cfg: PlatformConfig,
    private readonly master: InstrumentMaster,
    private readonly m: MarketMetrics,
    private readonly log: Logger,
  ) {
    this.registry = InstrumentRegistry.fromConfig(cfg);
  }

  /** Write the config's instruments into the master (idempotent), then load it all. */
  async start(): Promise<void> {
    const seeded = await this.master.upsert(this.cfg.instruments.map((c) => rowFromConfig(c)));
    if (seeded.inserted + seeded.updated) this.log.info(seeded, 'config instruments written to the master');
    await this.reload();
    this.listener = new pg.Client({ connectionString: this.cfg.services.database_url });
    this.listener.on('notification', () => void this.reloadSoon());
    this.listener.on('error', (e) => this.log.warn({ err: errorMessage(e) }, 'instrument master listener lost; changes are picked up at the next start'));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${INSTRUMENTS_CHANNEL}`);
  }

  async reload(): Promise<void> {
    const rows = await this.master.all();
    const byConfig = new Map(this.cfg.instruments.map((c) => [c.symbol, rowFromConfig(c)]));
    // The config's entry wins for a symbol both have, as in every daemon's loadInstruments.
    const merged = rows.map((r) => byConfig.get(r.symbol) ?? r);
    const stored = new Set(rows.map((r) => r.symbol));
    for (const [s, r] of byConfig) if (!stored.has(s)) merged.push(r);
    this.rows = new Map(merged.map((r) => [r.symbol, r]));
    this.search = new InstrumentSearch(merged);
    const { registry, refused } = registryOf(rows, this.cfg.instruments);
    this.registry = registry;
    this.m.instruments.set(merged.length);
    this.log.info({ instruments: merged.length, refused: refused.length }, 'instrument master loaded');
  }

  private reloadSoon(): void {
    this.reloading ??= this.reload()
      .catch((e) => this.log.warn({ err: errorMessage(e) }, 'instrument master reload failed'))
      .finally(() => (this.reloading = null));
  }

  row(symbol: string): InstrumentRow | undefined {
    return this.rows.get(symbol);
  }

  instrument(symbol: string): Instrument | undefined {
    return this.registry.find(symbol);
  }

  all(): IterableIterator<InstrumentRow> {
    return this.rows.values();
  }

  /** Where the trading day containing `ms` began, in the instrument's venue zone (UTC when unknown). */
  dayStart(symbol: string, ms: number): number {
    const tz = this.rows.get(symbol)?.timezone ?? 'UTC';
    return DateTime.fromMillis(ms, { zone: tz }).startOf('day').toMillis();
  }

  timezone(symbol: string): string {
    return this.rows.get(symbol)?.timezone ?? 'UTC';
  }

  async close(): Promise<void> {
    await this.listener?.end().catch(() => {});
  }
}
