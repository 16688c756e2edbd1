#!/usr/bin/env node
// hft: the platform as one command.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { runBacktest } from '@hft/backtest';
import { fromRoot, loadConfig, type PlatformConfig } from '@hft/config';
import { CandleStore, CandleTickStream, loadInstruments, storePool } from '@hft/market-store';
import type { ReplayInstruments } from '@hft/replay';
import { HftError } from '@hft/errors';
import { createLogger } from '@hft/logging';
import { appMain, enabledDaemons, httpPort } from '@hft/supervisor';
import { doctor } from './doctor.js';
import { backfill, importInstruments } from './market-commands.js';
import { catalogImport, catalogList } from './catalog-commands.js';
import { fileArg } from './file-arg.js';
import { runSweep, worker } from './sweep-commands.js';
import { runReport, runReportOf } from '@hft/sweeps';
import { root, runDir } from './paths.js';
import { up } from './platform.js';

function passthrough(app: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [appMain(app), ...args], { stdio: 'inherit' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** A user's file argument as `hft up` passes it on to market-data: absolute, `@SYMBOL` kept. */
function fromCwd(f: string): string {
  const s = fileArg(f);
  return s.symbol ? `${s.path}@${s.symbol}` : s.path;
}

function cfgOf(a: object): PlatformConfig {
  const path = (a as { config?: unknown }).config;
  return loadConfig(typeof path === 'string' ? { path } : {});
}

function platformEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && (k.startsWith('HFT') || k === 'REDIS_URL' || k === 'DATABASE_URL' || k === 'LOG_LEVEL')) env[k] = v;
  return env;
}

async function tokenFor(cfg: PlatformConfig, role: string): Promise<string> {
  if (process.env['HFT_TOKEN']) return process.env['HFT_TOKEN'];
  const r = await new Promise<{ code: number; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [appMain('security'), 'token', '--role', role], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => resolve({ code: code ?? 1, out, err }));
  });
  if (r.code !== 0) throw new Error(`no token: set HFT_TOKEN, or run this where ${cfg.security.private_key_file} is readable (${r.err.trim()})`);
  return r.out.trim();
}

await yargs(hideBin(process.argv))
  .scriptName('hft')
  .option('config', { type: 'string', global: true, describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
  .command(
    'up',
    'start the daemons, replay the data, print the run summary, keep running until Ctrl-C',
    (y) =>
      y
        .option('speed', { type: 'string', default: '10', describe: 'replay speed multiplier or "max"' })
        .option('loop', { type: 'boolean', default: false, describe: 'replay the files over and over' })
        .option('exit', { type: 'boolean', describe: 'stop everything after the summary (default when not started from a terminal; --no-exit keeps it running)' })
        .option('file', { type: 'string', array: true, describe: 'tick files (default [market_data].files; path@SYMBOL for symbol-less formats)' }),
    async (a) => {
      process.exitCode = await up(cfgOf(a), platformEnv(), { speed: a.speed, files: (a.file ?? []).map(fromCwd), exit: a.exit ?? !process.stdin.isTTY, loop: a.loop, out: (l) => process.stdout.write(`${l}\n`) });
    },
  )
  .command('down', 'stop a platform started by `hft up`', {}, async () => {
    const f = join(runDir(), 'platform.json');
    if (!existsSync(f)) {
      process.stdout.write('no platform running (no .run/platform.json)\n');
      return;
    }
    const s = JSON.parse(readFileSync(f, 'utf8')) as { supervisor: number };
    try {
      process.kill(s.supervisor, 'SIGTERM');
    } catch {
      process.stdout.write(`supervisor ${s.supervisor} is not running\n`);
      return;
    }
    const end = Date.now() + 60_000;
    while (existsSync(f) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    process.stdout.write(existsSync(f) ? 'still stopping after 60 s; see .run/logs\n' : 'platform stopped\n');
  })
  .command('status', 'health of every daemon', {}, async (a) => {
    const cfg = cfgOf(a);
    for (const d of enabledDaemons(cfg)) {
      const port = httpPort(cfg, d);
      let line = 'down';
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1500) });
        const h = (await res.json()) as { status: string; uptimeSeconds: number };
        line = `${h.status} (up ${h.uptimeSeconds} s)`;
      } catch {
        // not answering
      }
      process.stdout.write(`${d.padEnd(12)} :${port}  ${line}\n`);
    }
  })
  .command('doctor', 'check Redis, Postgres, secrets, every daemon and every ZeroMQ endpoint', {}, async (a) => {
    const findings = await doctor(cfgOf(a));
    for (const f of findings) process.stdout.write(`${f.ok ? 'ok  ' : 'FAIL'}  ${f.check.padEnd(22)} ${f.detail}\n`);
    const bad = findings.filter((f) => !f.ok).length;
    process.stdout.write(bad ? `\n${bad} problem(s)\n` : '\nall good\n');
    process.exitCode = bad ? 1 : 0;
  })
  .command('replay', 'replay tick files (market-data in the foreground; --help for its options)', (y) => y.strict(false).help(false), async () => {
    process.exitCode = await passthrough('market-data', process.argv.slice(process.argv.indexOf('replay') + 1));
  })
  .command('token', 'mint a token with the signing key (--role risk|ops|dev|system)', (y) => y.strict(false).help(false), async () => {
    process.exitCode = await passthrough('security', ['token', ...process.argv.slice(process.argv.indexOf('token') + 1)]);
  })
  .command(
    'kill-switch <action>',
    'engage or release the kill-switch (token from HFT_TOKEN or minted with the risk role)',
    (y) =>
      y
        .positional('action', { choices: ['engage', 'release'] as const, demandOption: true })
        .option('scope', { choices: ['global', 'strategy', 'symbol'] as const, default: 'global' as const })
        .option('target', { type: 'string', describe: 'strategy id or symbol for scoped switches' })
        .option('reason', { type: 'string', demandOption: true }),
    async (a) => {
      const cfg = cfgOf(a);
      const token = await tokenFor(cfg, 'risk');
      const res = await fetch(`${cfg.monitoring.risk_url}/api/risk/kill-switch`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ engaged: a.action === 'engage', scope: a.scope, target: a.target ?? null, reason: a.reason }),
      });
      const body = await res.text();
      process.stdout.write(`${res.status} ${body}\n`);
      process.exitCode = res.ok ? 0 : 1;
    },
  )
  .command('instruments <action> <file>', 'the instrument master: `import FILE` loads a CSV (data/README.md "Instrument master"), idempotently', (y) =>
    y.positional('action', { choices: ['import'] as const, demandOption: true }).positional('file', { type: 'string', demandOption: true }).option('json', { type: 'boolean', default: false }),
    async (a) => {
      process.exitCode = await importInstruments(cfgOf(a), a.file, a.json);
    },
  )
  .command('worker', 'run backtest sweep jobs from the queue until stopped (any number, on any host that reaches Redis and Postgres)', (y) =>
    y.option('concurrency', { type: 'number', describe: 'backtests at once (default [sweeps].concurrency)' }).option('id', { type: 'string', describe: 'name in results and logs (default host-pid)' }),
    async (a) => {
      process.exitCode = await worker(cfgOf(a), { ...(a.concurrency !== undefined ? { concurrency: a.concurrency } : {}), ...(a.id ? { id: a.id } : {}) });
    },
  )
  .command('catalog <action> [files..]', 'the tick catalog: `import FILE...` converts tick files into Parquet by symbol and day (idempotent), `list` shows what it holds', (y) =>
    y
      .positional('action', { choices: ['import', 'list'] as const, demandOption: true })
      .positional('files', { type: 'string', array: true, describe: 'import: tick files in any replay format (path@SYMBOL for symbol-less ones)' })
      .option('root', { type: 'string', describe: 'catalog directory (default [catalog].root)' })
      .option('symbols', { type: 'string', describe: 'list: only these comma-separated symbols' })
      .option('strict', { type: 'boolean', default: false, describe: 'import: abort on the first bad row instead of leaving it out' })
      .option('json', { type: 'boolean', default: false }),
    async (a) => {
      const cfg = cfgOf(a);
      if (a.action === 'list') process.exitCode = catalogList(cfg, { ...(a.root ? { root: a.root } : {}), ...(a.symbols ? { symbols: a.symbols.split(',').map((s) => s.trim()) } : {}), json: a.json });
      else if (!a.files?.length) throw new Error('hft catalog import needs at least one tick file');
      else process.exitCode = await catalogImport(cfg, a.files, { ...(a.root ? { root: a.root } : {}), json: a.json, strict: a.strict });
    },
  )
  .command('backfill <files..>', 'import 1-minute OHLCV or tick files into the candle store (idempotent: a second run changes nothing)', (y) =>
    y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'OHLCV CSV or tick files (path@SYMBOL for symbol-less formats)' }).option('json', { type: 'boolean', default: false }),
    async (a) => {
      process.exitCode = await backfill(cfgOf(a), a.files, a.json);
    },
  )
  .command(
    'backtest [files..]',
    'replay files through strategies and the exchange simulator in-process, as fast as possible',
    (y) =>
      y
        .positional('files', { type: 'string', array: true, describe: 'tick files (default [market_data].files)' })
        .option('strategies', { type: 'string', describe: 'comma-separated ids from [strategy.params] (default [strategy].enabled)' })
        .option('sweep', { type: 'string', describe: 'a sweep file (README "Backtest sweeps"): its jobs go to the queue for `hft worker`s; prints progress and the results' })
        .option('wait', { type: 'boolean', default: true, describe: 'with --sweep: follow it to the end (--no-wait: queue and exit)' })
        .option('top', { type: 'number', default: 10, describe: 'with --sweep: how many of the best runs to print' })
        .option('candles', { type: 'string', describe: 'comma-separated symbols replayed from the candle store (their 1-minute bars) instead of tick files' })
        .option('from', { type: 'string', describe: 'with --candles: ISO 8601 start (inclusive)' })
        .option('to', { type: 'string', describe: 'with --candles: ISO 8601 end (exclusive)' })
        .option('json', { type: 'boolean', default: false }),
    async (a) => {
      const cfg = cfgOf(a);
      if (a.sweep) {
        process.exitCode = await runSweep(cfg, a.sweep, { json: a.json, wait: a.wait, top: a.top });
        return;
      }
      const ids = a.strategies ? a.strategies.split(',') : cfg.strategy.enabled;
      const strategies: Record<string, Record<string, unknown>> = {};
      for (const id of ids) {
        const p = cfg.strategy.params[id];
        if (!p) throw new Error(`no [strategy.params.${id}] in the config`);
        strategies[id] = p;
      }
      const candles = a.candles ? a.candles.split(',').map((x) => x.trim()).filter(Boolean) : [];
      const span = (s: string | undefined, what: string): number => {
        const ms = s === undefined ? Number.NaN : Date.parse(s);
        if (!Number.isFinite(ms)) throw new Error(`--candles needs --${what} as an ISO 8601 instant (2026-03-02T14:30:00Z)`);
        return ms;
      };
      const candleSpan = candles.length ? { from: span(a.from, 'from'), to: span(a.to, 'to') } : null;
      const registry = await loadInstruments(cfg, createLogger({ daemon: 'backtest', destination: new PassThrough() }));
      const pool = candleSpan ? storePool(cfg.services.database_url, 2) : null;
      const files = candleSpan && !a.files?.length ? [] : a.files?.length
        ? a.files.map(fileArg)
        : cfg.market_data.files.map((f) => (typeof f === 'string' ? { path: fromRoot(f), format: 'auto' as const } : { ...f, path: fromRoot(f.path) }));
      const r = await runBacktest(
        {
          files,
          ...(pool && candleSpan ? { sources: (inst: ReplayInstruments) => [new CandleTickStream(new CandleStore(pool), inst, candles, candleSpan.from, candleSpan.to)] } : {}),
          strategies,
          baseDir: root(),
          fees: (s) => cfg.execution.fees[s] ?? cfg.execution.fees['default']!,
          bookDepth: cfg.market_data.book_depth,
          options: cfg.options,
          maxFills: a.json ? 100_000 : 10_000,
        },
        registry,
        createLogger({ daemon: 'backtest', destination: new PassThrough() }),
      ).finally(() => pool?.end());
      // Every run leaves its report (equity, PnL by symbol, fills on the price, tick-to-trade).
      const report = join(runDir(), 'reports', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.html`);
      mkdirSync(dirname(report), { recursive: true });
      writeFileSync(report, runReport(runReportOf(r, files.map((f) => relative(root(), f.path)))));
      if (a.json) {
        process.stdout.write(`${JSON.stringify({ ...r, report })}\n`);
        return;
      }
      process.stdout.write(`backtest: ${r.ticks.toLocaleString('en-US')} ticks (${r.dataSeconds.toFixed(0)} s of data) in ${r.wallSeconds.toFixed(2)} s; ${r.orders} orders, ${r.cancels} cancels, ${r.fills} fills${r.chains ? `, ${r.chains} chain snapshots` : ''}\n`);
      for (const s of r.strategies) {
        process.stdout.write(`  ${s.id.padEnd(16)} PnL ${s.pnl.toFixed(2).padStart(10)}  ${s.positions.map((p) => `${p.symbol} ${p.qty}`).join(', ') || 'flat'}  ${Object.entries(s.stats).map(([k, v]) => `${k}=${Number.isFinite(v) ? +v.toFixed(4) : v}`).join(' ')}\n`);
      }
      const t = r.tickToTrade;
      if (t.count) process.stdout.write(`  tick-to-trade in process: ${t.count} orders, p50 ${t.p50Us} µs, p99 ${t.p99Us} µs\n`);
      process.stdout.write(`  report: ${report}\n`);
    },
  )
  .demandCommand(1, 'name a command: up, down, status, doctor, replay, token, kill-switch, backtest, worker, instruments, backfill, catalog')
  .strict()
  .help()
  .version(false)
  .fail((msg, err) => {
    process.stderr.write(`hft: ${err instanceof HftError ? `${err.code}: ${err.message}` : (err?.message ?? msg)}\n`);
    process.exit(2);
  })
  .parseAsync();
