import type { FastifyInstance } from 'fastify';
import { loadConfig, type PlatformConfig } from '@hft/config';
import { errorMessage, HftError } from '@hft/errors';
import { createLogger, type Logger } from '@hft/logging';
import { createHttpServer, HealthRegistry, initMetrics, listenHttp } from '@hft/metrics';
import type { DaemonArgs } from './daemon-args.js';
import { applyScheduling } from './realtime-scheduling.js';

export interface DaemonContext {
  name: string;
  cfg: PlatformConfig;
  log: Logger;
  health: HealthRegistry;
  /** Add routes before `start` returns; the server listens after it. */
  http: FastifyInstance;
  /** Run on shutdown, in reverse order of registration (drain sockets, flush buffers, close pools). */
  onShutdown(fn: () => Promise<void> | void): void;
  /** Resolves when a shutdown has been requested (signal or `requestShutdown`). */
  shutdownRequested: Promise<string>;
  requestShutdown(reason: string): void;
}

export interface DaemonOptions {
  name: string;
  /** The command line (`daemonArgs`): --config and --http-port override the defaults below. */
  args?: DaemonArgs;
  /** Config file (default $HFT_CONFIG or config/platform.toml). */
  configPath?: string;
  /** Port for /metrics and /health (default `[<name>].http_port`; 0 = any free port). */
  httpPort?: (cfg: PlatformConfig) => number;
  httpHost?: string;
  /**
   * Start the daemon. If it returns a promise (`done`), the daemon shuts down once it settles;
   * otherwise it runs until SIGINT/SIGTERM.
   */
  start: (ctx: DaemonContext) => Promise<{ done?: Promise<unknown> } | void>;
}

/**
 * The lifecycle every daemon shares: config, logger, metrics, health, HTTP (/metrics, /health),
 * graceful shutdown on SIGINT/SIGTERM (hooks drain in reverse order, then exit 0), and exit codes:
 * 2 for a configuration or input error (HftError at start-up), 1 for anything unexpected.
 */
export async function runDaemon(opts: DaemonOptions): Promise<never> {
  let log: Logger | null = null;
  try {
    const configPath = opts.args?.config ?? opts.configPath;
    const cfg = loadConfig(configPath ? { path: configPath } : {});
    log = createLogger({ daemon: opts.name });
    initMetrics(opts.name);
    // Before any socket or worker exists, so every thread the daemon starts inherits the policy.
    applyScheduling(opts.name, cfg.scheduling, log);
    const health = new HealthRegistry(opts.name);
    const http = await createHttpServer({ daemon: opts.name, logger: log, health });
    const hooks: (() => Promise<void> | void)[] = [];
    let resolveShutdown!: (reason: string) => void;
    const shutdownRequested = new Promise<string>((r) => (resolveShutdown = r));
    let requested = false;
    const requestShutdown = (reason: string): void => {
      if (requested) return;
      requested = true;
      log?.info({ reason }, 'shutting down');
      resolveShutdown(reason);
    };
    process.on('SIGINT', () => requestShutdown('SIGINT'));
    process.on('SIGTERM', () => requestShutdown('SIGTERM'));
    const ctx: DaemonContext = { name: opts.name, cfg, log, health, http, onShutdown: (fn) => hooks.push(fn), shutdownRequested, requestShutdown };
    const started = await opts.start(ctx);
    const port = opts.args?.httpPort ?? opts.httpPort?.(cfg) ?? (cfg[opts.name.replace('-', '_') as keyof PlatformConfig] as { http_port: number }).http_port;
    const url = await listenHttp(http, port, opts.httpHost ?? cfg.services.http_host);
    log.info({ url }, `${opts.name} up`);
    if (started && started.done) {
      void started.done.then(
        () => requestShutdown('finished'),
        (e: unknown) => {
          log?.error({ err: e }, 'daemon task failed');
          process.exitCode = e instanceof HftError ? 2 : 1;
          requestShutdown('failed');
        },
      );
    }
    await shutdownRequested;
    // A second signal while draining means "now".
    const force = (): void => process.exit(130);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    for (const fn of hooks.reverse()) {
      try {
        await fn();
      } catch (e) {
        log.error({ err: e }, 'shutdown hook failed');
      }
    }
    await http.close();
    log.info('stopped');
    process.exit(process.exitCode ?? 0);
  } catch (e) {
    const msg = e instanceof HftError ? `${e.code}: ${e.message}` : ((e as Error).stack ?? errorMessage(e));
    if (log) log.fatal({ err: e }, 'failed to start');
    process.stderr.write(`${opts.name}: ${msg}\n`);
    process.exit(e instanceof HftError ? 2 : 1);
  }
}
