import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { Worker, type Job } from 'bullmq';
import type pg from 'pg';
import { runBacktest } from '@hft/backtest';
import { workspaceRoot, type InstrumentRegistry, type PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import { runMetrics, type RunMetrics } from './run-metrics.js';
import { bullConnection, SWEEP_QUEUE, type SweepJobData } from './sweep-queue.js';
import type { FileRef, SweepJob } from './sweep-spec.js';
import { SweepStore, type StoredResult } from './sweep-store.js';

export interface WorkerSettings {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** A job whose worker stops renewing its lock this long is given to another worker. */
  lockDurationMs: number;
  equityEveryMs: number;
  id?: string;
}

export interface JobOutcome extends RunMetrics {
  /** False when another attempt of the job had recorded its result already (a retry after a lost lock). */
  recorded: boolean;
  worker: string;
}

/** Files of a job resolved from the repository root (where `data/` is), as every worker sees them. */
function fileSpecs(files: readonly FileRef[]) {
  return files.map((f) => (typeof f === 'string' ? { path: resolve(workspaceRoot(), f), format: 'auto' as const } : { ...f, path: resolve(workspaceRoot(), f.path) }));
}

/** Fills kept with a sweep run's result, for its report. */
const RUN_REPORT_FILLS = 2000;

/** Run one sweep job: the backtest, its figures, and the result recorded once. */
export async function runSweepJob(job: SweepJob, cfg: PlatformConfig, registry: InstrumentRegistry, equityEveryMs: number, log: Logger) {
  const r = await runBacktest(
    {
      files: fileSpecs(job.files),
      strategies: { [job.strategyId]: job.params },
      baseDir: workspaceRoot(),
      fees: (s) => cfg.execution.fees[s] ?? cfg.execution.fees['default']!,
      bookDepth: cfg.market_data.book_depth,
      options: cfg.options,
      // The fills its report draws on the price chart (and no more: they are stored with the result).
      maxFills: RUN_REPORT_FILLS,
      equityEveryMs,
    },
    registry,
    log,
  );
  return { result: r, metrics: runMetrics(r, job.strategyId, equityEveryMs) };
}

/**
 * A sweep worker: takes jobs from the queue (`concurrency` at a time), runs each backtest in this
 * process and records its result in Postgres. A worker that dies mid-job stops renewing its lock;
 * BullMQ gives the job to another worker, and the result is recorded once whichever finishes.
 */
export interface SweepWorker {
  readonly worker: Worker<SweepJobData, JobOutcome>;
  /** Finish the job in hand, then stop and let go of Redis. */
  close(): Promise<void>;
}

export function startSweepWorker(s: WorkerSettings, cfg: PlatformConfig, registry: InstrumentRegistry, pool: pg.Pool, log: Logger, onDone?: (job: SweepJobData, outcome: JobOutcome) => void): SweepWorker {
  const id = s.id ?? `${hostname()}-${process.pid}`;
  const store = new SweepStore(pool);
  // Ours, so ours to close: BullMQ leaves a connection it was given open.
  const connection = bullConnection(s.redisUrl);
  const worker = new Worker<SweepJobData, JobOutcome>(
    SWEEP_QUEUE,
    async (job: Job<SweepJobData>) => {
      const { sweepId, job: j } = job.data;
      const { result, metrics } = await runSweepJob(j, cfg, registry, s.equityEveryMs, log);
      const recorded = await store.record(sweepId, { ...metrics, jobKey: j.key, strategyId: j.strategyId, params: j.params, files: j.files, worker: id, attempt: job.attemptsMade + 1 }, { changes: j.changes, equity: result.equity, strategies: result.strategies, fills: result.fillsSample, prices: result.prices, tickToTrade: result.tickToTrade, dataSeconds: result.dataSeconds } satisfies StoredResult);
      const outcome = { ...metrics, recorded, worker: id };
      onDone?.(job.data, outcome);
      return outcome;
    },
    { connection, prefix: s.prefix, concurrency: s.concurrency, lockDuration: s.lockDurationMs, stalledInterval: Math.max(1000, Math.floor(s.lockDurationMs / 2)), maxStalledCount: 3 },
  );
  return {
    worker,
    close: async () => {
      await worker.close();
      connection.disconnect();
    },
  };
}
