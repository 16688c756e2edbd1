import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fromRoot, type PlatformConfig } from '@hft/config';
import { createLogger } from '@hft/logging';
import { loadInstruments, storePool } from '@hft/market-store';
import { loadSweepSpec, startSweepWorker, SweepQueue, SweepStore, sweepJobs, sweepReport } from '@hft/sweeps';

const quiet = () => createLogger({ daemon: 'cli', destination: new PassThrough() });

/** `hft backtest --sweep FILE`: the sweep's jobs onto the queue, then its progress until every job has a result. */
export async function runSweep(cfg: PlatformConfig, file: string, o: { json: boolean; wait: boolean; top: number }): Promise<number> {
  const spec = loadSweepSpec(file);
  const jobs = sweepJobs(spec, cfg);
  const sweepId = `${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'sweep'}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
  const pool = storePool(cfg.services.database_url, 2);
  const store = new SweepStore(pool);
  const queue = new SweepQueue({ redisUrl: cfg.services.redis_url, prefix: cfg.sweeps.queue_prefix, attempts: cfg.sweeps.attempts });
  try {
    await store.migrate();
    await store.create(sweepId, spec, jobs);
    await queue.enqueue(sweepId, jobs);
    if (!o.json) process.stdout.write(`sweep ${sweepId}: ${jobs.length} jobs queued (${spec.strategies.map((s) => s.id).join(', ')}); start workers with \`hft worker\`\n`);
    if (!o.wait) {
      if (o.json) process.stdout.write(`${JSON.stringify({ sweepId, jobs: jobs.length })}\n`);
      return 0;
    }
    const started = Date.now();
    let lastLine = '';
    for (;;) {
      const p = (await store.progress(sweepId))!;
      const failed = await queue.failed(sweepId);
      const elapsed = (Date.now() - started) / 1000;
      const eta = p.done > 0 ? ((elapsed / p.done) * (p.jobs - p.done)).toFixed(0) : '?';
      const line = `sweep ${sweepId}: ${p.done}/${p.jobs} done${failed.length ? `, ${failed.length} failed` : ''}, ${elapsed.toFixed(0)} s, ETA ${eta} s`;
      if (!o.json && line !== lastLine) process.stderr.write(`${line}\n`);
      lastLine = line;
      if (p.done + failed.length >= p.jobs) {
        const runs = await store.runs(sweepId);
        // The report, as the dashboard serves it (GET /api/v1/sweeps/<id>/report), also as a file.
        const data = (await store.report(sweepId))!;
        const dir = fromRoot('.run/reports');
        mkdirSync(dir, { recursive: true });
        const report = join(dir, `sweep-${sweepId}.html`);
        writeFileSync(report, sweepReport(data.sweep, data.runs));
        if (o.json) process.stdout.write(`${JSON.stringify({ sweepId, jobs: p.jobs, done: p.done, failed, report, runs })}\n`);
        else {
          process.stdout.write(`best ${Math.min(o.top, runs.length)} of ${runs.length} by PnL:\n`);
          for (const r of runs.slice(0, o.top)) {
            const changes = Object.entries(jobs.find((j) => j.key === r.jobKey)?.changes ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(' ');
            process.stdout.write(`  ${r.strategyId.padEnd(14)} ${changes.padEnd(36)} PnL ${r.pnl.toFixed(2).padStart(10)}  Sharpe ${r.sharpe === null ? '   –' : r.sharpe.toFixed(2).padStart(6)}  maxDD ${r.maxDrawdown.toFixed(2).padStart(8)}  fills ${r.fills}/${r.orders}  fees ${r.fees.toFixed(2)}\n`);
          }
          for (const f of failed) process.stdout.write(`  failed ${f.key} after ${f.attempts} attempts: ${f.reason}\n`);
          process.stdout.write(`report: ${report} (also /api/v1/sweeps/${sweepId}/report on the dashboard's server)\n`);
        }
        return failed.length ? 1 : 0;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await queue.close();
    await pool.end();
  }
}

/** `hft worker`: runs sweep jobs until SIGINT/SIGTERM (the job in hand finishes first). */
export async function worker(cfg: PlatformConfig, o: { concurrency?: number; id?: string }): Promise<number> {
  const log = createLogger({ daemon: 'sweep-worker' });
  const registry = await loadInstruments(cfg, quiet());
  const pool = storePool(cfg.services.database_url, 2);
  await new SweepStore(pool).migrate();
  const w = startSweepWorker(
    { redisUrl: cfg.services.redis_url, prefix: cfg.sweeps.queue_prefix, concurrency: o.concurrency ?? cfg.sweeps.concurrency, lockDurationMs: cfg.sweeps.lock_duration_ms, equityEveryMs: cfg.sweeps.equity_every_ms, ...(o.id ? { id: o.id } : {}) },
    cfg,
    registry,
    pool,
    quiet(),
    (data, out) => log.info({ sweep: data.sweepId, job: data.job.key, strategy: data.job.strategyId, pnl: out.pnl, recorded: out.recorded, seconds: +out.wallSeconds.toFixed(3) }, 'job done'),
  );
  w.worker.on('active', (job) => log.info({ sweep: job.data.sweepId, job: job.data.job.key, strategy: job.data.job.strategyId, attempt: job.attemptsMade + 1 }, 'job started'));
  w.worker.on('failed', (job, err) => log.warn({ sweep: job?.data.sweepId, job: job?.data.job.key, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
  log.info({ concurrency: o.concurrency ?? cfg.sweeps.concurrency }, 'sweep worker ready');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await w.close();
  await pool.end();
  return 0;
}
