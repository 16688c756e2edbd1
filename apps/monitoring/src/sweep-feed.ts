import pg from 'pg';
import type { Logger } from '@hft/logging';
import { SWEEPS_CHANNEL, SweepStore } from '@hft/sweeps';
import type { SseHub } from './sse-hub.js';

/**
 * Sweep progress pushed to the dashboard: a new sweep and every recorded run are announced by the
 * store (NOTIFY hft_sweeps); each becomes a `sweep` event ({ sweepId, name, jobs, done }) on the
 * dashboard stream. A lost connection is retried every few seconds (the dashboard also reloads the
 * list now and then, so a missed event costs a delay, never a wrong figure).
 */
export class SweepFeed {
  private client: pg.Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly store: () => pg.Pool,
    private readonly sse: SseHub,
    private readonly log: Logger,
    private readonly retryMs = 5000,
  ) {}

  start(): void {
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const c = new pg.Client({ connectionString: this.databaseUrl });
    c.on('notification', (n) => void this.push(n.payload ?? ''));
    c.on('error', (e) => this.lost(c, e));
    try {
      await c.connect();
      await c.query(`LISTEN ${SWEEPS_CHANNEL}`);
      this.client = c;
      this.log.info('listening for sweep progress');
    } catch (e) {
      this.lost(c, e);
    }
  }

  private lost(c: pg.Client, e: unknown): void {
    void c.end().catch(() => {});
    if (this.client === c) this.client = null;
    if (this.stopped || this.retry) return;
    this.log.warn({ err: (e as Error).message }, `sweep progress feed down; retrying in ${this.retryMs / 1000} s`);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, this.retryMs);
  }

  private async push(sweepId: string): Promise<void> {
    if (this.sse.count('dashboard') === 0) return;
    try {
      const s = await new SweepStore(this.store()).summary(sweepId);
      if (s) this.sse.publish('dashboard', 'sweep', s);
    } catch (e) {
      this.log.warn({ err: (e as Error).message, sweepId }, 'sweep progress not pushed');
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => {});
  }
}
