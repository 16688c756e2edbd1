// Sweeps on a real BullMQ queue (a private Redis) and a private Postgres database: the spec's jobs,
// two workers in this process taking them, every result recorded once and equal to the backtest alone.
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { freePorts, privateDatabase, startPrivateRedis, until, type PrivateRedis } from '@hft/testing';
import { runSweepJob, startSweepWorker, SweepQueue, SweepStore, sweepJobs, sweepSpecSchema } from '../src/index.js';

const cfg = loadConfig({ path: join(workspaceRoot(), 'config', 'platform.toml'), env: {} });
const registry = InstrumentRegistry.fromConfig(cfg);
const log = createLogger({ daemon: 'test', destination: new PassThrough() });
const spec = sweepSpecSchema.parse({
  name: 'test sweep',
  data: ['data/market_data.csv'],
  strategies: [{ id: 'meanrev_msft', grid: { entry_z: [1.5, 2.5], window: [60, 120] } }, { id: 'mm_aapl', runs: [{ spread_bps: 4 }, { spread_bps: 8 }] }],
});

let redis: PrivateRedis;
let db: Awaited<ReturnType<typeof privateDatabase>>;
let pool: pg.Pool;
beforeAll(async () => {
  redis = await startPrivateRedis((await freePorts(1))[0]!);
  db = await privateDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
}, 30_000);
afterAll(async () => {
  await pool.end();
  await db.drop();
  await redis.stop();
});

describe('sweeps', () => {
  it('expands grid x runs x data sets into stable, distinct jobs; refuses what it cannot run', () => {
    const jobs = sweepJobs(spec, cfg);
    expect(jobs.map((j) => [j.strategyId, j.changes])).toEqual([
      ['meanrev_msft', { entry_z: 1.5, window: 60 }],
      ['meanrev_msft', { entry_z: 1.5, window: 120 }],
      ['meanrev_msft', { entry_z: 2.5, window: 60 }],
      ['meanrev_msft', { entry_z: 2.5, window: 120 }],
      ['mm_aapl', { spread_bps: 4 }],
      ['mm_aapl', { spread_bps: 8 }],
    ]);
    expect(sweepJobs(spec, cfg).map((j) => j.key)).toEqual(jobs.map((j) => j.key));
    expect(jobs[0]!.params).toMatchObject({ kind: 'mean_reversion', symbol: 'MSFT', entry_z: 1.5, window: 60 });
    expect(() => sweepJobs({ ...spec, strategies: [{ id: 'nope', grid: {} }] }, cfg)).toThrow(/no \[strategy.params.nope\]/);
    expect(sweepSpecSchema.safeParse({ name: 'x', data: [], strategies: [] }).success).toBe(false);
  });

  it('two workers take the jobs; each result is recorded once and equals the backtest run alone', async () => {
    const store = new SweepStore(pool);
    await store.migrate();
    const jobs = sweepJobs(spec, cfg);
    const queue = new SweepQueue({ redisUrl: redis.url, prefix: 'test:bull', attempts: 3 });
    await store.create('s1', spec, jobs);
    await queue.enqueue('s1', jobs);
    await queue.enqueue('s1', jobs); // queued twice: the job ids make it once
    const settings = { redisUrl: redis.url, prefix: 'test:bull', concurrency: 1, lockDurationMs: 10_000, equityEveryMs: 1000 };
    const done: string[] = [];
    const workers = ['w1', 'w2'].map((id) => startSweepWorker({ ...settings, id }, cfg, registry, pool, log, (_d, o) => done.push(o.worker)));
    try {
      await until(async () => ((await store.progress('s1'))!.done === jobs.length ? true : undefined), 'every job recorded', 60_000);
      const runs = await store.runs('s1');
      expect(runs).toHaveLength(jobs.length);
      expect(new Set(done)).toEqual(new Set(['w1', 'w2']));
      for (const j of jobs.slice(0, 2)) {
        const alone = await runSweepJob(j, cfg, registry, 1000, log);
        const r = runs.find((x) => x.jobKey === j.key)!;
        expect({ pnl: r.pnl, sharpe: r.sharpe, maxDrawdown: r.maxDrawdown, orders: r.orders, fills: r.fills, fees: r.fees }).toEqual({ pnl: alone.metrics.pnl, sharpe: alone.metrics.sharpe, maxDrawdown: alone.metrics.maxDrawdown, orders: alone.metrics.orders, fills: alone.metrics.fills, fees: alone.metrics.fees });
      }
      expect(await queue.failed('s1')).toEqual([]);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      await queue.close();
    }
  }, 90_000);
});
