// A sweep across (simulated) machines: Redis and Postgres in one network namespace, a sweep worker in
// each of two others, joined by a private bridge (like the multi-host test). One worker is killed with
// SIGKILL in the middle of a job: the job goes to the other worker, and every result is there exactly
// once, equal to running that configuration alone.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { scrape, total } from '@hft/metrics';
import { appMain } from '@hft/supervisor';
import { loadSweepSpec, runSweepJob, sweepJobs } from '@hft/sweeps';
import { launchBrowser } from './browser.js';
import { followSse, platformEnv, startDaemon, startPrivatePostgres, startPrivateRedis, testSigner, until, type PrivatePostgres, type PrivateRedis } from '@hft/testing';

const id = ((process.pid + 97) % 200) + 20;
const NET = `10.232.${id}`;
const S = { ns: `sw${id}s`, ip: `${NET}.1`, veth: `sw${id}s` };
const W1 = { ns: `sw${id}a`, ip: `${NET}.2`, veth: `sw${id}a` };
const W2 = { ns: `sw${id}b`, ip: `${NET}.3`, veth: `sw${id}b` };
const BRIDGE = { dev: `sw${id}br`, ip: `${NET}.254` };
const SPEC = join(workspaceRoot(), 'config', 'sweeps', 'mm-spreads.toml');

function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}
function teardownNetwork(): void {
  for (const n of [S, W1, W2]) spawnSync('ip', ['netns', 'del', n.ns]);
  spawnSync('ip', ['link', 'del', BRIDGE.dev]);
}

let redis: PrivateRedis | null = null;
let postgres: PrivatePostgres | null = null;
let env: Record<string, string> = {};
const workers: ChildProcess[] = [];
const daemons: { stop(): Promise<unknown> }[] = [];

/** A worker in a namespace, with the lines it logs. */
function startWorker(n: typeof W1, name: string): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn('ip', ['netns', 'exec', n.ns, process.execPath, appMain('cli'), 'worker', '--id', name], { env: { ...process.env, ...env }, cwd: workspaceRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let buf = '';
  child.stdout!.on('data', (b: Buffer) => {
    buf += b.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(l) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  workers.push(child);
  return { child, lines };
}

beforeAll(async () => {
  teardownNetwork();
  ip('link', 'add', BRIDGE.dev, 'type', 'bridge');
  ip('addr', 'add', `${BRIDGE.ip}/24`, 'dev', BRIDGE.dev);
  ip('link', 'set', BRIDGE.dev, 'up');
  for (const n of [S, W1, W2]) {
    ip('netns', 'add', n.ns);
    ip('link', 'add', `${n.veth}h`, 'type', 'veth', 'peer', 'name', `${n.veth}n`);
    ip('link', 'set', `${n.veth}n`, 'netns', n.ns);
    ip('link', 'set', `${n.veth}h`, 'master', BRIDGE.dev);
    ip('link', 'set', `${n.veth}h`, 'up');
    ip('-n', n.ns, 'addr', 'add', `${n.ip}/24`, 'dev', `${n.veth}n`);
    ip('-n', n.ns, 'link', 'set', `${n.veth}n`, 'up');
    ip('-n', n.ns, 'link', 'set', 'lo', 'up');
  }
  const inS = ['ip', 'netns', 'exec', S.ns];
  redis = await startPrivateRedis(6379, { host: S.ip, prefix: inS });
  postgres = startPrivatePostgres(5432, { host: S.ip, prefix: inS, trustSubnet: `${NET}.0/24` });
  // A short lock, so the killed worker's job goes to the other one within seconds.
  env = { LOG_LEVEL: 'info', REDIS_URL: redis.url, DATABASE_URL: postgres.url, HFT__SWEEPS__LOCK_DURATION_MS: '3000', HFT__INSTRUMENT_MASTER__SOURCE: 'config' };
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.kill('SIGKILL');
  for (const d of daemons) await d.stop().catch(() => {});
  postgres?.destroy();
  await redis?.stop();
  teardownNetwork();
}, 60_000);

describe('backtest sweeps across hosts (BullMQ on Redis, results in Postgres, network namespaces)', () => {
  it('a worker killed mid-job: its job is done by the other, every result once and equal to the configuration run alone', async () => {
    const w1 = startWorker(W1, 'w1');
    const w2 = startWorker(W2, 'w2');
    await until(async () => (w1.lines.some((l) => l['msg'] === 'sweep worker ready') && w2.lines.some((l) => l['msg'] === 'sweep worker ready') ? true : undefined), 'both workers ready', 60_000);
    // Monitoring on the same database, its dashboard stream followed from before the sweep starts.
    const signer = testSigner();
    const p = await platformEnv({ DATABASE_URL: postgres!.url, HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, LOG_LEVEL: 'info' });
    const mon = startDaemon('monitoring', [], p.env);
    daemons.push(mon);
    await mon.ready(p.http.monitoring);
    await until(async () => (mon.stdout().includes('listening for sweep progress') ? true : undefined), 'monitoring listening for sweep progress', 20_000);
    const pushed = followSse<{ sweepId: string; jobs: number; done: number }>(`http://127.0.0.1:${p.http.monitoring}/api/stream/dashboard`, 'sweep');
    await until(async () => (total(await scrape(p.http.monitoring), 'hft_monitoring_sse_clients', { stream: 'dashboard' }) === 1 ? true : undefined), 'the dashboard stream followed', 20_000);
    const sweep = spawn(process.execPath, [appMain('cli'), 'backtest', '--sweep', SPEC, '--json'], { env: { ...process.env, ...env }, cwd: workspaceRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sweep.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number>((res) => sweep.on('exit', (code) => res(code ?? -1)));
    // Kill w1 the moment it starts a job.
    const started = await until(async () => w1.lines.find((l) => l['msg'] === 'job started'), 'w1 taking a job', 60_000);
    w1.child.kill('SIGKILL');
    const killedJob = started['job'] as string;
    expect(w1.lines.some((l) => l['msg'] === 'job done' && l['job'] === killedJob)).toBe(false);
    expect(await exited).toBe(0);
    const r = JSON.parse(out) as { jobs: number; done: number; failed: unknown[]; report: string; runs: { jobKey: string; worker: string; pnl: number; sharpe: number | null; maxDrawdown: number; orders: number; fills: number; fees: number }[] };
    const cfg = loadConfig({ env: {} });
    const jobs = sweepJobs(loadSweepSpec(SPEC), cfg);
    expect({ jobs: r.jobs, done: r.done, failed: r.failed }).toEqual({ jobs: jobs.length, done: jobs.length, failed: [] });
    expect(r.runs.map((x) => x.jobKey).sort()).toEqual(jobs.map((j) => j.key).sort());
    expect(r.runs.find((x) => x.jobKey === killedJob)!.worker).toBe('w2');
    expect(r.report).toMatch(/\.run\/reports\/sweep-mm-spreads-.*\.html$/);
    // Each configuration alone, in this process: the same figures.
    const registry = InstrumentRegistry.fromConfig(cfg);
    const log = createLogger({ daemon: 'test', destination: new PassThrough() });
    for (const j of jobs) {
      const alone = (await runSweepJob(j, cfg, registry, cfg.sweeps.equity_every_ms, log)).metrics;
      const run = r.runs.find((x) => x.jobKey === j.key)!;
      expect([j.key, run.pnl, run.sharpe, run.maxDrawdown, run.orders, run.fills, run.fees]).toEqual([j.key, alone.pnl, alone.sharpe, alone.maxDrawdown, alone.orders, alone.fills, alone.fees]);
    }
    // Progress was pushed, not polled: an event for the sweep's creation and one per recorded run (the
    // killed worker's job once), each with the count done when monitoring read it, the last all done.
    await until(async () => (pushed.events.length >= jobs.length + 1 ? true : undefined), 'an event per run pushed', 20_000);
    pushed.close();
    expect(pushed.events).toHaveLength(jobs.length + 1);
    expect(new Set(pushed.events.map((e) => e.jobs))).toEqual(new Set([jobs.length]));
    expect(Math.max(...pushed.events.map((e) => e.done))).toBe(jobs.length);
    // The report, opened from the dashboard, in headless Chromium.
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`http://127.0.0.1:${p.http.monitoring}/dashboard`);
      const link = page.locator('#sweeps tr a', { hasText: 'report' }).first();
      await link.waitFor({ timeout: 15_000 });
      expect(await page.textContent('#sweeps')).toContain(`${jobs.length}/${jobs.length}`);
      await page.goto(`http://127.0.0.1:${p.http.monitoring}${(await link.getAttribute('href'))!}`);
      // Every chart: a heat map per strategy (a cell per run), equity curves, the drawdown, the table.
      expect(await page.locator('svg.heatmap').count()).toBe(2);
      expect(await page.locator('svg.heatmap rect.cell').count()).toBe(jobs.length);
      expect(await page.locator('svg.equity-chart polyline.equity').count()).toBe(5);
      expect(await page.locator('svg.drawdown-chart polygon.drawdown').count()).toBe(1);
      expect(await page.locator('table.runs tbody tr').count()).toBe(jobs.length);
      // The best run's own report, from its row: equity (total + its strategy), drawdown, PnL by
      // symbol, its fills on the price, and the tick-to-trade distribution, each with its marks.
      const best = [...r.runs].sort((a, b) => b.pnl - a.pnl)[0]!;
      await page.locator('table.runs tbody tr a.run-report').first().click();
      await page.waitForSelector('h1');
      expect(await page.textContent('h1')).toMatch(/^mm spreads: (mm_aapl|meanrev_msft) /);
      expect(await page.locator('svg.equity-chart polyline.equity').count()).toBe(2);
      expect(await page.locator('svg.drawdown-chart polygon.drawdown').count()).toBe(1);
      expect(await page.locator('svg.pnl-chart rect.bar').count()).toBeGreaterThan(0);
      expect(await page.locator('table.pnl tbody tr').count()).toBe(await page.locator('svg.pnl-chart rect.bar').count());
      expect(await page.locator('svg.price-chart').count()).toBeGreaterThan(0);
      expect(await page.locator('svg.price-chart polyline.price').count()).toBe(await page.locator('svg.price-chart').count());
      expect(await page.locator('svg.price-chart polygon.fill').count()).toBe(Math.min(best.fills, 2000));
      expect(await page.locator('svg.latency-chart rect.latency-bar').count()).toBeGreaterThan(0);
      expect(await page.textContent('figure:has(svg.latency-chart) figcaption')).toMatch(/^Tick-to-trade .*: \d+ orders, p50 [\d.]+ µs/);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await mon.stop();
    }
    const db = new pg.Client({ connectionString: postgres!.url });
    await db.connect();
    try {
      expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sweep_runs')).rows[0]!.n).toBe(jobs.length);
    } finally {
      await db.end();
    }
  }, 180_000);
});
