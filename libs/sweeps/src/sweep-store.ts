import type pg from 'pg';
import { migrate, migrationsBeside } from '@hft/migrations';
import type { RunMetrics } from './run-metrics.js';
import type { RunReportData } from './run-report.js';
import type { ReportRun } from './sweep-report.js';
import type { SweepJob, SweepSpec } from './sweep-spec.js';
import { paramText } from './report-html.js';

/** The `result` a worker stores with a run: what its report and the sweep's draw. */
export interface StoredResult {
  changes?: Record<string, string | number | boolean>;
  equity?: RunReportData['equity'];
  strategies?: RunReportData['strategies'];
  fills?: RunReportData['fills'];
  prices?: RunReportData['prices'];
  tickToTrade?: RunReportData['tickToTrade'];
  dataSeconds?: number;
}

export const SWEEP_MIGRATIONS = migrationsBeside(import.meta.url);

export interface RunRow extends RunMetrics {
  jobKey: string;
  strategyId: string;
  params: Record<string, unknown>;
  files: unknown;
  worker: string;
  attempt: number;
}

/** A sweep and how far it is: a row of the dashboard's sweeps card. */
export interface SweepSummary {
  sweepId: string;
  name: string;
  jobs: number;
  done: number;
  createdAt: string;
}

const SUMMARY = `SELECT s.sweep_id AS "sweepId", s.name, s.jobs, count(r.job_key)::int AS done, s.created_at::text AS "createdAt" FROM sweeps s LEFT JOIN sweep_runs r USING (sweep_id)`;

/** A run's figures as `runs` lists them. */
export type RunFigures = RunRow & { finishedAt: string; tickToTradeP50Us: number | null; tickToTradeP99Us: number | null };

/** The channel a new sweep or a recorded run is announced on (the payload is the sweep id). */
export const SWEEPS_CHANNEL = 'hft_sweeps';

/** Sweeps and their results in Postgres: a job's result is recorded once, whoever ran it last. */
export class SweepStore {
  constructor(private readonly pool: pg.Pool) {}

  migrate(): Promise<string[]> {
    return migrate(this.pool, { dir: SWEEP_MIGRATIONS, table: 'sweep_schema_migrations' });
  }

  async create(sweepId: string, spec: SweepSpec, jobs: readonly SweepJob[]): Promise<void> {
    await this.pool.query('INSERT INTO sweeps (sweep_id, name, spec, jobs) VALUES ($1, $2, $3, $4)', [sweepId, spec.name, JSON.stringify({ spec, jobs }), jobs.length]);
    await this.announce(sweepId);
  }

  /** Tell listeners (monitoring pushes it to the dashboard) that a sweep moved. */
  private async announce(sweepId: string): Promise<void> {
    await this.pool.query('SELECT pg_notify($1, $2)', [SWEEPS_CHANNEL, sweepId]);
  }

  /** True when this result is the job's first; false when another attempt recorded it already. */
  async record(sweepId: string, r: RunRow, result: unknown): Promise<boolean> {
    const q = await this.pool.query(
      `INSERT INTO sweep_runs (sweep_id, job_key, strategy_id, params, files, pnl, sharpe, max_drawdown, fill_ratio, orders, fills, fees, ticks, wall_seconds, worker, attempt, result)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ON CONFLICT (sweep_id, job_key) DO NOTHING`,
      [sweepId, r.jobKey, r.strategyId, JSON.stringify(r.params), JSON.stringify(r.files), r.pnl, r.sharpe, r.maxDrawdown, r.fillRatio, r.orders, r.fills, r.fees, r.ticks, r.wallSeconds, r.worker, r.attempt, JSON.stringify(result)],
    );
    const first = (q.rowCount ?? 0) > 0;
    if (first) await this.announce(sweepId);
    return first;
  }

  async progress(sweepId: string): Promise<{ jobs: number; done: number; wallSeconds: number } | null> {
    const r = await this.pool.query<{ jobs: number; done: number; wall: number }>('SELECT s.jobs, count(r.job_key)::int AS done, coalesce(sum(r.wall_seconds), 0) AS wall FROM sweeps s LEFT JOIN sweep_runs r USING (sweep_id) WHERE s.sweep_id = $1 GROUP BY s.jobs', [sweepId]);
    const x = r.rows[0];
    return x ? { jobs: x.jobs, done: x.done, wallSeconds: x.wall } : null;
  }

  /** Recent sweeps with how far each is. */
  async list(limit = 50): Promise<SweepSummary[]> {
    return (await this.pool.query<SweepSummary>(`${SUMMARY} GROUP BY s.sweep_id ORDER BY s.created_at DESC LIMIT $1`, [limit])).rows;
  }

  /** One sweep as `list` gives it (null when there is none). */
  async summary(sweepId: string): Promise<SweepSummary | null> {
    return (await this.pool.query<SweepSummary>(`${SUMMARY} WHERE s.sweep_id = $1 GROUP BY s.sweep_id`, [sweepId])).rows[0] ?? null;
  }

  /** A sweep and its runs with their changes and equity curves: what its report draws. */
  async report(sweepId: string): Promise<{ sweep: { sweepId: string; name: string; jobs: number; createdAt: string }; runs: ReportRun[] } | null> {
    const s = await this.pool.query<{ sweepId: string; name: string; jobs: number; createdAt: string }>('SELECT sweep_id AS "sweepId", name, jobs, created_at::text AS "createdAt" FROM sweeps WHERE sweep_id = $1', [sweepId]);
    if (!s.rows[0]) return null;
    const r = await this.pool.query(
      `SELECT job_key AS "jobKey", strategy_id AS "strategyId", result->'changes' AS changes, pnl, sharpe, max_drawdown AS "maxDrawdown", fill_ratio AS "fillRatio", orders, fills, fees, worker, result->'equity' AS equity, result->'tickToTrade' AS "tickToTrade"
       FROM sweep_runs WHERE sweep_id = $1 ORDER BY job_key`,
      [sweepId],
    );
    return { sweep: s.rows[0], runs: r.rows as ReportRun[] };
  }

  /** One run with what its own report draws (null when the sweep has no such job). */
  async runReport(sweepId: string, jobKey: string): Promise<RunReportData | null> {
    const r = await this.pool.query(
      `SELECT s.name, r.strategy_id AS "strategyId", r.files, r.orders, r.fills, r.ticks::float8 AS ticks, r.wall_seconds AS "wallSeconds", r.result
       FROM sweep_runs r JOIN sweeps s USING (sweep_id) WHERE r.sweep_id = $1 AND r.job_key = $2`,
      [sweepId, jobKey],
    );
    const row = r.rows[0] as { name: string; strategyId: string; files: string[]; orders: number; fills: number; ticks: number; wallSeconds: number; result: StoredResult } | undefined;
    if (!row) return null;
    const x = row.result;
    return {
      title: `${row.name}: ${row.strategyId} ${paramText(x.changes ?? {})}`.trim(),
      files: row.files,
      equity: x.equity ?? [],
      strategies: x.strategies ?? [],
      fills: x.fills ?? [],
      prices: x.prices ?? [],
      tickToTrade: x.tickToTrade ?? { count: 0, p50Us: null, p90Us: null, p99Us: null, maxUs: null, histogram: [] },
      ticks: row.ticks,
      orders: row.orders,
      fillCount: row.fills,
      dataSeconds: x.dataSeconds ?? 0,
      wallSeconds: row.wallSeconds,
      ...(x.changes ? { parameters: x.changes } : {}),
    };
  }

  /** Every run's figures, the best first; tick-to-trade in µs as the backtest measured it (null: no order answered a tick). */
  async runs(sweepId: string): Promise<RunFigures[]> {
    const r = await this.pool.query(
      `SELECT job_key AS "jobKey", strategy_id AS "strategyId", params, files, pnl, sharpe, max_drawdown AS "maxDrawdown", fill_ratio AS "fillRatio", orders, fills, fees, ticks::float8 AS ticks,
              wall_seconds AS "wallSeconds", worker, attempt, finished_at AS "finishedAt",
              (result->'tickToTrade'->>'p50Us')::float8 AS "tickToTradeP50Us", (result->'tickToTrade'->>'p99Us')::float8 AS "tickToTradeP99Us"
       FROM sweep_runs WHERE sweep_id = $1 ORDER BY pnl DESC, job_key`,
      [sweepId],
    );
    return r.rows as RunFigures[];
  }
}
