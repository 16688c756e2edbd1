// Sweep throughput on this machine: the same backtests run in a loop in one process (the baseline),
// then through the queue with 1 and with 2 worker processes (`hft worker`), on a private Redis and a
// private Postgres database. Prints jobs/s, the speed-up of 2 workers over 1, and the engine's cost per
// job (1 worker vs the loop).
//   node libs/sweeps/dist/bench/sweep-bench.js
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { freePorts, privateDatabase, startPrivateRedis } from '@hft/testing';
import { join } from 'node:path';
import { runSweepJob, SweepQueue, SweepStore, sweepJobs, sweepSpecSchema } from '../src/index.js';

const cfg = loadConfig({ env: {} });
const registry = InstrumentRegistry.fromConfig(cfg);
const log = createLogger({ daemon: 'bench', destination: new PassThrough() });
const spec = sweepSpecSchema.parse({ name: 'bench', data: ['data/market_data.csv'], strategies: [{ id: 'mm_aapl', grid: { spread_bps: [3, 4, 5, 6, 7, 8], quote_qty: [50, 100] } }] });
const jobs = sweepJobs(spec, cfg);

async function main(): Promise<void> {
  const redis = await startPrivateRedis((await freePorts(1))[0]!);
  const db = await privateDatabase();
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const env = { ...process.env, REDIS_URL: redis.url, DATABASE_URL: db.url, LOG_LEVEL: 'warn', HFT__INSTRUMENT_MASTER__SOURCE: 'config' };
  const children: ChildProcess[] = [];
  try {
    const store = new SweepStore(pool);
    await store.migrate();
    console.error('bench: services ready');
    // Warm the code paths once, then the loop.
    await runSweepJob(jobs[0]!, cfg, registry, 1000, log);
    let t = performance.now();
    for (const j of jobs) await runSweepJob(j, cfg, registry, 1000, log);
    const loopS = (performance.now() - t) / 1000;
    console.error(`bench: loop ${loopS.toFixed(2)} s`);
    const queue = new SweepQueue({ redisUrl: redis.url, prefix: 'bench:bull', attempts: 1 });
    const through = async (workers: number, sweepId: string): Promise<number> => {
      const started: ChildProcess[] = [];
      for (let i = 0; i < workers; i++) {
        const c = spawn(process.execPath, [join(workspaceRoot(), 'apps/cli/dist/src/main.js'), 'worker', '--id', `b${i}`], { env: { ...env, HFT__SWEEPS__QUEUE_PREFIX: 'bench:bull' }, stdio: ['ignore', 'ignore', 'inherit'] });
        started.push(c);
        children.push(c);
      }
      await new Promise((r) => setTimeout(r, 3000)); // the workers load and connect before the clock starts
      await store.create(sweepId, spec, jobs);
      const t0 = performance.now();
      await queue.enqueue(sweepId, jobs);
      while ((await store.progress(sweepId))!.done < jobs.length) await new Promise((r) => setTimeout(r, 20));
      const s = (performance.now() - t0) / 1000;
      console.error(`bench: ${workers} worker(s) ${s.toFixed(2)} s`);
      for (const c of started) c.kill('SIGTERM');
      await Promise.all(started.map((c) => new Promise((r) => c.once('exit', r))));
      return s;
    };
    const one = await through(1, 'one');
    const two = await through(2, 'two');
    await queue.close();
    t = performance.now();
    console.log(`sweep benchmark: ${jobs.length} backtests of mm_aapl on data/market_data.csv (private Redis and Postgres; a shared, noisy 2-vCPU machine)`);
    console.log(`  in a loop, one process      ${loopS.toFixed(2).padStart(6)} s   ${(jobs.length / loopS).toFixed(2)} jobs/s   (baseline)`);
    console.log(`  queue, 1 worker             ${one.toFixed(2).padStart(6)} s   ${(jobs.length / one).toFixed(2)} jobs/s   ${(one / loopS).toFixed(2)}x the loop's time; engine ${(((one - loopS) / jobs.length) * 1000).toFixed(0)} ms per job`);
    console.log(`  queue, 2 workers            ${two.toFixed(2).padStart(6)} s   ${(jobs.length / two).toFixed(2)} jobs/s   speed-up over 1 worker ${(one / two).toFixed(2)}x`);
  } finally {
    for (const c of children) c.kill('SIGKILL');
    await pool.end();
    await db.drop();
    await redis.stop();
  }
}

await main();
