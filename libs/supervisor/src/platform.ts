import { join } from 'node:path';
import { workspaceRoot, type PlatformConfig } from '@hft/config';
import { appMain } from './app-main.js';
import { ensureSecrets } from './secrets.js';
import { Supervisor, type DaemonSpec } from './supervisor.js';

// market-services early: it writes the config's instruments into the master the others then read.
export const DAEMONS = ['security', 'market-services', 'risk', 'oms', 'execution', 'strategy', 'fix-gateway', 'monitoring', 'market-data'] as const;
export type DaemonName = (typeof DAEMONS)[number];
/** The daemons that read the tick and book streams and name themselves there with their daemon name. */
export const MARKET_DATA_CONSUMERS = ['market-services', 'risk', 'execution', 'strategy', 'monitoring'] as const satisfies readonly DaemonName[];

type Section = 'security' | 'risk' | 'oms' | 'execution' | 'strategy' | 'monitoring' | 'market_data' | 'fix_gateway' | 'market_services';

/** The HTTP port (health, metrics, API) of a daemon: `[<section>].http_port`. */
export function httpPort(cfg: PlatformConfig, d: DaemonName): number {
  return cfg[d.replace('-', '_') as Section].http_port;
}

/** The daemons a platform runs: the optional ones (FIX gateway, market services) when their section enables them. */
export function enabledDaemons(cfg: PlatformConfig): DaemonName[] {
  return DAEMONS.filter((d) => (d === 'fix-gateway' ? cfg.fix_gateway.enabled : d === 'market-services' ? cfg.market_services.enabled : true));
}

export interface PlatformOptions {
  /** Replay speed multiplier or "max". */
  speed: string;
  /** Tick files (default [market_data].files); relative paths are from the repository root. */
  files: string[];
  loop: boolean;
  /** Extra market-data arguments (e.g. --to 14:31). */
  replayArgs?: string[];
  /** Leave market-data out (tests that publish their own data). */
  withoutMarketData?: boolean;
  /** Start only these daemons (tests and benchmarks that play the others). */
  only?: readonly DaemonName[];
  /** Daemons already running beside the ones started now (market-data started later waits for these consumers too). */
  running?: readonly DaemonName[];
  /** Where each daemon runs: a command prefix (ssh, ip netns exec), its HTTP address, extra env. */
  placement?: (d: DaemonName) => { prefix?: string[]; host?: string; env?: Record<string, string> };
}

/** Daemon specs in start order: the ones that bind and hold state first, market data last. */
export function platformSpecs(cfg: PlatformConfig, o: PlatformOptions & { accounts: ReturnType<typeof ensureSecrets>; runDir: string }, env: Record<string, string> = {}): DaemonSpec[] {
  // The FIX gateway and market services run where their sections say (or when asked for by name).
  const enabled = enabledDaemons(cfg);
  const wanted = (d: DaemonName): boolean => (o.only ? o.only.includes(d) : enabled.includes(d));
  return DAEMONS.filter((d) => !(o.withoutMarketData && d === 'market-data') && wanted(d)).map((d) => {
    // From the repository root, where the config's relative paths (data files, secrets) start.
    const spec: DaemonSpec = { name: d, main: appMain(d), httpPort: httpPort(cfg, d), readyTimeoutS: 60, cwd: workspaceRoot() };
    if (d === 'monitoring') spec.env = { HFT__MONITORING__SERVICE_USER: o.accounts.monitoring.serviceUser, HFT__MONITORING__SERVICE_PASSWORD_FILE: o.accounts.monitoring.passwordFile };
    if (d === 'risk') spec.env = { HFT__RISK__SERVICE_USER: o.accounts.risk.serviceUser, HFT__RISK__SERVICE_PASSWORD_FILE: o.accounts.risk.passwordFile };
    if (d === 'strategy') spec.env = { HFT__STRATEGY__SERVICE_USER: o.accounts.strategy.serviceUser, HFT__STRATEGY__SERVICE_PASSWORD_FILE: o.accounts.strategy.passwordFile };
    if (d === 'fix-gateway') spec.env = { HFT__FIX_GATEWAY__SERVICE_USER: o.accounts.fixGateway.serviceUser, HFT__FIX_GATEWAY__SERVICE_PASSWORD_FILE: o.accounts.fixGateway.passwordFile };
    // HFT_PROFILE=oms,risk: those daemons write a V8 CPU profile into <run dir>/profiles when they stop.
    if ((env['HFT_PROFILE'] ?? '').split(',').includes(d)) spec.nodeArgs = ['--cpu-prof', `--cpu-prof-dir=${join(o.runDir, 'profiles')}`];
    const at = o.placement?.(d);
    if (at?.prefix) spec.prefix = at.prefix;
    if (at?.host) spec.host = at.host;
    if (at?.env) spec.env = { ...spec.env, ...at.env };
    if (d === 'market-data') {
      // The first tick waits for every started consumer of the streams, by name (see topics.ready).
      const consumers = MARKET_DATA_CONSUMERS.filter((c) => wanted(c) || o.running?.includes(c));
      spec.args = [...o.files, '--speed', o.speed, '--wait-for', consumers.join(','), '--wait-timeout-ms', '15000', '--stay', '--no-progress', ...(o.loop ? ['--loop'] : []), ...(o.replayArgs ?? [])];
    }
    return spec;
  });
}

/**
 * Start the whole platform: secrets on first run, then each daemon as its own process, each ready
 * (/health answering) before the next. `onStarted` sees every daemon as it comes up.
 */
export async function startPlatform(
  cfg: PlatformConfig,
  env: Record<string, string>,
  o: PlatformOptions & { runDir: string; onStarted?: (name: string, pid: number | undefined, port: number) => void; shouldStop?: () => boolean },
): Promise<Supervisor> {
  const accounts = ensureSecrets(cfg, env, o.runDir);
  const sup = new Supervisor({ env, logDir: join(o.runDir, 'logs'), stopTimeoutS: 15 });
  try {
    for (const spec of platformSpecs(cfg, { ...o, accounts }, { ...process.env, ...env } as Record<string, string>)) {
      if (o.shouldStop?.()) break;
      const m = await sup.start(spec);
      o.onStarted?.(spec.name, m.child.pid, spec.httpPort);
    }
  } catch (e) {
    await sup.stopAll();
    throw e;
  }
  return sup;
}
