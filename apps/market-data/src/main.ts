#!/usr/bin/env node
// market-data daemon / `hft replay`: replays tick files onto the tick and book streams.
import { loadInstruments } from '@hft/market-store';
import { hideBin } from 'yargs/helpers';
import { loadConfig } from '@hft/config';
import { applyScheduling } from '@hft/daemon';
import { errorMessage, HftError } from '@hft/errors';
import { createLogger } from '@hft/logging';
import { createHttpServer, HealthRegistry, initMetrics, listenHttp } from '@hft/metrics';
import { Publisher } from '@hft/transport';
import { parseCli, replayOptions } from './cli.js';
import { mdMetrics } from './md-metrics.js';
import { progressLine } from './progress-line.js';
import { Replayer } from './replayer.js';
import { ReplayInstruments } from '@hft/replay';

async function main(): Promise<number> {
  const args = parseCli(hideBin(process.argv));
  const cfg = loadConfig(args.config ? { path: args.config } : {});
  const opts = replayOptions(args, cfg);
  // With --json, stdout carries the summary alone (for jq and scripts); the log goes to stderr.
  const log = createLogger({ daemon: 'market-data', ...(args.json ? { destination: process.stderr } : {}) });
  initMetrics('market-data');
  // Before the sockets exist, so ZeroMQ's I/O thread inherits the policy. A --speed max replay never
  // sleeps: under a real-time policy it would hold its core and starve Postgres, Redis and monitoring.
  applyScheduling('market-data', cfg.scheduling, log, opts.speed === 'max' ? '--speed max is a throughput run: it never waits, so a real-time policy would starve the rest of the machine' : undefined);
  const health = new HealthRegistry('market-data');
  const setReplay = health.component('replay', { status: 'ok', detail: 'starting' });
  const m = mdMetrics();

  const registry = await loadInstruments(cfg, log);
  const instruments = new ReplayInstruments(registry);
  const md = cfg.market_data;
  const tickPub = new Publisher({ stream: 'ticks', endpoint: cfg.endpoints.ticks.bind, highWaterMark: md.pub_hwm });
  const bookPub = new Publisher({ stream: 'books', endpoint: cfg.endpoints.books.bind, highWaterMark: md.pub_hwm });
  const analyticsPub = new Publisher({ stream: 'analytics', endpoint: cfg.endpoints.analytics.bind, highWaterMark: md.pub_hwm });
  await tickPub.bind();
  await bookPub.bind();
  await analyticsPub.bind();
  const http = await createHttpServer({ daemon: 'market-data', logger: log, health });
  const url = await listenHttp(http, args.httpPort ?? md.http_port, cfg.services.http_host);
  log.info({ url, ticks: tickPub.boundEndpoint, books: bookPub.boundEndpoint }, 'market-data up');

  const replayer = new Replayer(
    {
      ...opts,
      onProgress: args.progress ? (p) => process.stderr.write(`${progressLine(p, opts.speed)}\n`) : undefined,
    },
    instruments,
    tickPub,
    bookPub,
    log,
    m,
    {
      pub: analyticsPub,
      registry,
      settings: cfg.options,
      onAlert: (underlying, v) => log.warn({ underlying, index: v.index, signal: v.signal, divergence: v.divergence, spread: v.spread, baseline: v.baseline }, 'VIX divergence: implied vol and the volatility index moved apart beyond the threshold'),
    },
  );
  let stopRequested = false;
  const onSignal = (sig: string): void => {
    if (stopRequested) return;
    stopRequested = true;
    log.info({ signal: sig }, 'stopping: draining and closing');
    replayer.stop();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  setReplay({ status: 'ok', detail: 'replaying' });
  const summary = await replayer.run();
  setReplay({ status: 'ok', detail: summary.stopped ? 'stopped' : 'finished' });
  log.info({ ...summary, dataTime: undefined }, 'replay finished');
  if (args.json) process.stdout.write(`${JSON.stringify({ ...summary, dataTime: undefined })}\n`);
  else {
    process.stderr.write(
      `replayed ${summary.ticks.toLocaleString('en-US')} ticks (${summary.frames} frames, ${summary.snapshots} book snapshots) ` +
        `in ${summary.wallSeconds.toFixed(2)} s: ${summary.dataSeconds.toFixed(1)} s of data at ${summary.achievedSpeed.toFixed(2)}x` +
        `${summary.lagP50Seconds !== null ? `, lag p50 ${(summary.lagP50Seconds * 1e3).toFixed(3)} ms p99 ${(summary.lagP99Seconds! * 1e3).toFixed(3)} ms` : ''}` +
        `, ${summary.badRows} bad rows${summary.badRows ? ` ${JSON.stringify(summary.badRowsByReason)}` : ''}\n`,
    );
  }
  if (args.stay && !stopRequested) {
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  await tickPub.close();
  await bookPub.close();
  await analyticsPub.close();
  await http.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`market-data: ${e instanceof HftError ? `${e.code}: ${e.message}` : (e as Error).stack ?? errorMessage(e)}\n`);
    process.exit(e instanceof HftError ? 2 : 1);
  },
);
