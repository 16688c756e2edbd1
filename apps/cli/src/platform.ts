import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '@hft/config';
import { httpPort, startPlatform, type DaemonName } from '@hft/supervisor';
import { runDir } from './paths.js';
import { byLabel, scrape, total } from '@hft/metrics';

export interface UpOptions {
  speed: string;
  files: string[];
  /** Stop everything after the replay and the summary (default: keep running until Ctrl-C). */
  exit: boolean;
  loop: boolean;
  /** Print progress and the summary. */
  out: (line: string) => void;
}

export interface RunSummary {
  ticks: number;
  replaySeconds: number;
  orders: number;
  fills: number;
  denials: Record<string, number>;
  rejects: Record<string, number>;
  pnlByStrategy: Record<string, number>;
  tickToTrade: { count: number; p50: number | null; p99: number | null; p999: number | null };
}

function q(ms: number | null): string {
  return ms === null ? '–' : ms < 1e-3 ? `${(ms * 1e6).toFixed(0)} µs` : `${(ms * 1e3).toFixed(2)} ms`;
}

/** Figures of a run, read from the daemons themselves. */
export async function collectSummary(cfg: PlatformConfig): Promise<RunSummary> {
  const [md, strat, risk, exec] = await Promise.all(['market-data', 'strategy', 'risk', 'execution'].map((d) => scrape(httpPort(cfg, d as DaemonName))));
  const mon = `http://127.0.0.1:${cfg.monitoring.http_port}`;
  const data = (await (await fetch(`${mon}/api/metrics/data`)).json()) as { tickToTrade: RunSummary['tickToTrade'] };
  const positions = (await (await fetch(`${mon}/api/positions`)).json()) as { strategy: string; pnl: number }[];
  const pnlByStrategy: Record<string, number> = {};
  for (const p of positions) pnlByStrategy[p.strategy] = (pnlByStrategy[p.strategy] ?? 0) + p.pnl;
  return {
    ticks: total(md!, 'hft_md_ticks_published_total'),
    replaySeconds: 0,
    orders: total(strat!, 'hft_strategy_orders_total', { action: 'submit' }),
    fills: total(exec!, 'hft_exec_fills_total'),
    denials: byLabel(risk!, 'hft_risk_denials_total', 'check'),
    rejects: byLabel(exec!, 'hft_exec_rejects_total', 'reason'),
    pnlByStrategy,
    tickToTrade: data.tickToTrade,
  };
}

/** Non-zero counts by reason (refusal metrics are zero-initialised for every reason). */
const byReason = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

export function formatSummary(s: RunSummary, cfg: PlatformConfig): string {
  const lines = [
    '',
    'run summary',
    `  ticks replayed        ${s.ticks.toLocaleString('en-US')}`,
    `  orders sent           ${s.orders.toLocaleString('en-US')}`,
    `  fills                 ${s.fills.toLocaleString('en-US')}`,
    `  risk denials          ${byReason(s.denials)}`,
    `  venue rejects         ${byReason(s.rejects)}`,
    `  PnL by strategy       ${Object.entries(s.pnlByStrategy).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || 'no fills'}`,
    `  tick-to-trade         p50 ${q(s.tickToTrade.p50)}  p99 ${q(s.tickToTrade.p99)}  p99.9 ${q(s.tickToTrade.p999)}  (${s.tickToTrade.count} orders)`,
    `  dashboard             http://127.0.0.1:${cfg.monitoring.http_port}/dashboard`,
    `  metrics               :${cfg.market_data.http_port}-:${cfg.execution.http_port}, :${cfg.monitoring.http_port}, :${cfg.security.http_port}${cfg.fix_gateway.enabled ? `, :${cfg.fix_gateway.http_port}` : ''}${cfg.market_services.enabled ? `, :${cfg.market_services.http_port}` : ''} /metrics (config/prometheus.yml)`,
    ...(cfg.market_services.enabled ? [`  market services       http://127.0.0.1:${cfg.monitoring.http_port}/api/v1/instruments/search?query=apple, .../api/v1/market/candles/AAPL, .../api/v1/scanner/suggestions`] : []),
    ...(cfg.fix_gateway.enabled ? [`  FIX 4.4 acceptor      ${cfg.fix_gateway.fix_host}:${cfg.fix_gateway.fix_port} (TargetCompID ${cfg.fix_gateway.comp_id})`] : []),
  ];
  return lines.join('\n');
}

/**
 * `hft up`: start the daemons as separate processes (each ready before the next), replay the
 * data, print the summary, then keep running until Ctrl-C / SIGTERM (or stop at once with --exit).
 */
export async function up(cfg: PlatformConfig, env: Record<string, string>, o: UpOptions): Promise<number> {
  const stateFile = join(runDir(), 'platform.json');
  let sup: Awaited<ReturnType<typeof startPlatform>> | null = null;
  let stopping = false;
  let resolveStop!: () => void;
  const stopped = new Promise<void>((r) => (resolveStop = r));
  const shutdown = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    o.out(`\nstopping (${why}): every daemon drains and exits...`);
    await sup?.stopAll();
    rmSync(stateFile, { force: true });
    o.out('all daemons stopped');
    resolveStop();
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const started: Record<string, { pid: number | undefined; httpPort: number }> = {};
  try {
    sup = await startPlatform(cfg, env, {
      speed: o.speed,
      files: o.files,
      loop: o.loop,
      runDir: runDir(),
      shouldStop: () => stopping,
      onStarted: (name, pid, port) => {
        o.out(`  ${name.padEnd(12)} up (pid ${pid}, http :${port})`);
        started[name] = { pid, httpPort: port };
        writeFileSync(stateFile, JSON.stringify({ supervisor: process.pid, startedAt: new Date().toISOString(), daemons: started }, null, 2));
      },
    });
  } catch (e) {
    o.out(`\n${(e as Error).message}`);
    stopping = true;
    rmSync(stateFile, { force: true });
    return 1;
  }
  // Follow the replay through market-data's own metrics.
  const t0 = Date.now();
  let lastLine = 0;
  while (!stopping) {
    let md;
    try {
      md = await scrape(cfg.market_data.http_port);
    } catch {
      break;
    }
    const running = total(md, 'hft_md_replay_running');
    const progress = total(md, 'hft_md_replay_progress_ratio');
    if (Date.now() - lastLine >= 2000) {
      lastLine = Date.now();
      o.out(`  replay ${(progress * 100).toFixed(0).padStart(3)}% | ${total(md, 'hft_md_ticks_published_total').toLocaleString('en-US')} ticks | ${total(md, 'hft_md_replay_speed_ratio').toFixed(1)}x`);
    }
    if (running === 0 && progress >= 1 && Date.now() - t0 > 1000) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) {
    // Let the last orders and reports settle before reading the figures.
    await new Promise((r) => setTimeout(r, 1500));
    const s = await collectSummary(cfg);
    s.replaySeconds = (Date.now() - t0) / 1000;
    o.out(formatSummary(s, cfg));
    if (o.exit) await shutdown('--exit');
    else o.out('\nthe platform keeps running; Ctrl-C stops it (or `npx hft down`)');
  }
  await stopped;
  return 0;
}
