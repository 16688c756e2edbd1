import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { decodeBookSnapshot, decodeTickFrame, type BookSnapshot, type Tick } from '@hft/messages';
import { initMetrics, metricsRegistry } from '@hft/metrics';
import { Publisher, Subscriber } from '@hft/transport';
import { mdMetrics } from '../src/md-metrics.js';
import { Replayer, type ReplayOptions, type ReplaySummary } from '../src/replayer.js';
import { ReplayInstruments } from '@hft/replay';

export const cfg = loadConfig({ path: join(workspaceRoot(), 'config', 'platform.toml'), env: {} });
export const instruments = new ReplayInstruments(InstrumentRegistry.fromConfig(cfg));
initMetrics('market-data-test');

export function tmpFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-test-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export interface Received {
  ticks: Tick[];
  books: BookSnapshot[];
  /** The topic each book snapshot came on. */
  bookTopics: string[];
  /** Ticks that came on md.trade.<SYMBOL> (when subscribed). */
  trades: Tick[];
  /** When market-data published each tick's frame (its tsPublish stamp), per tick. */
  tickPublished: bigint[];
  logLines: Record<string, unknown>[];
  summary: ReplaySummary;
}

export const baseOptions: Omit<ReplayOptions, 'files'> = {
  speed: 'max',
  loop: false,
  strict: false,
  maxBatch: 64,
  bookDepth: 10,
  bookSnapshots: 'conflate',
  waitFor: ['test'],
  waitTimeoutMs: 5000,
};

/** Replay with real XPUB publishers and real SUB subscribers on loopback; collect what arrives. */
export async function replay(
  opts: Partial<ReplayOptions> & Pick<ReplayOptions, 'files'>,
  topics = ['md.tick.', 'md.book.'],
  stopAfterMs?: number,
  /** Called once the publishers are bound, before the replay starts (e.g. to add consumers). */
  onBound?: (endpoints: { ticks: string; books: string }) => void,
): Promise<Received> {
  const tickPub = new Publisher({ stream: 'ticks', endpoint: 'tcp://127.0.0.1:*', linger: 0 });
  const bookPub = new Publisher({ stream: 'books', endpoint: 'tcp://127.0.0.1:*', linger: 0 });
  await tickPub.bind();
  await bookPub.bind();
  const got: Omit<Received, 'summary'> = { ticks: [], books: [], bookTopics: [], trades: [], tickPublished: [], logLines: [] };
  const tickSub = new Subscriber({ stream: 'ticks', endpoint: tickPub.boundEndpoint, topics: topics.filter((t) => t.startsWith('md.tick') || t.startsWith('md.trade')), consumer: 'test' });
  const bookSub = new Subscriber({ stream: 'books', endpoint: bookPub.boundEndpoint, topics: topics.filter((t) => t.startsWith('md.book')), consumer: 'test' });
  tickSub.start((topic, [body]) => {
    const r = decodeTickFrame(body!);
    if (!r.ok) throw new Error(`bad tick frame: ${r.detail}`);
    if (topic === `md.trade.${r.value.symbol}`) return void got.trades.push(...r.value.ticks);
    if (topic !== `md.tick.${r.value.symbol}`) throw new Error(`tick for ${r.value.symbol} on ${topic}`);
    for (const t of r.value.ticks) {
      got.ticks.push(t);
      got.tickPublished.push(r.value.tsPublish);
    }
  });
  bookSub.start((topic, [body]) => {
    const r = decodeBookSnapshot(body!);
    if (!r.ok) throw new Error(`bad book frame: ${r.detail}`);
    got.books.push(r.value);
    got.bookTopics.push(topic);
  });
  const logs = new PassThrough();
  logs.on('data', (b: Buffer) => {
    for (const line of b.toString().trim().split('\n')) got.logLines.push(JSON.parse(line) as Record<string, unknown>);
  });
  onBound?.({ ticks: tickPub.boundEndpoint, books: bookPub.boundEndpoint });
  const replayer = new Replayer({ ...baseOptions, ...opts }, instruments, tickPub, bookPub, createLogger({ daemon: 'md-test', destination: logs }), mdMetrics());
  if (stopAfterMs !== undefined) setTimeout(() => replayer.stop(), stopAfterMs);
  try {
    const summary = await replayer.run();
    // Everything is sent; wait until the subscribers have gone quiet (no frame for 150 ms).
    let seen = -1;
    const end = Date.now() + 10_000;
    while (seen !== got.ticks.length + got.books.length && Date.now() < end) {
      seen = got.ticks.length + got.books.length;
      await new Promise((r) => setTimeout(r, 150));
    }
    return { ...got, summary };
  } finally {
    await tickSub.close();
    await bookSub.close();
    await tickPub.close();
    await bookPub.close();
  }
}

export async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const m = metricsRegistry().getSingleMetric(name);
  if (!m) return 0;
  const v = (await m.get()).values.find((x) => Object.entries(labels).every(([k, val]) => x.labels[k] === val));
  return v?.value ?? 0;
}
