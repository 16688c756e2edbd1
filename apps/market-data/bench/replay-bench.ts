// market-data benchmark: --speed max throughput from CSV to published frames, beside csv-parse alone
// on the same file (ratio); the same ticks from the tick catalog (Parquet), and the same frames
// pre-encoded and only published (the wire's own limit), all in one run; pacing of a 60 s span at 10x.
// Run: npx nx run market-data:bench   (or node apps/market-data/dist/bench/replay-bench.js [--rows N])

import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { initMetrics } from '@hft/metrics';
import { Publisher } from '@hft/transport';
import { mdMetrics } from '../src/md-metrics.js';
import { Replayer, type ReplayOptions } from '../src/replayer.js';
import { HftRowParser, importToCatalog, type RawTick, ReplayInstruments, writeSyntheticTicks } from '@hft/replay';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const cfg = loadConfig({ env: {} });
const instruments = new ReplayInstruments(InstrumentRegistry.fromConfig(cfg));
initMetrics('market-data-bench');
const log = createLogger({ daemon: 'bench', destination: new PassThrough(), level: 'warn' });

/** csv-parse on its own, read with its fastest idiom (a read() loop, no per-record promise). */
async function csvParseAlone(path: string, rowParser?: HftRowParser): Promise<number> {
  const t0 = performance.now();
  let n = 0;
  const scratch: RawTick[] = [];
  const p = createReadStream(path, { highWaterMark: 1 << 18 }).pipe(parse({ quote: false, relax_column_count: true, skip_empty_lines: false, bom: true, from_line: 2 }));
  await new Promise<void>((resolve, reject) => {
    p.on('readable', () => {
      let rec: string[] | null;
      while ((rec = p.read() as string[] | null) !== null) {
        if (rowParser) {
          scratch.length = 0;
          rowParser.parse(rec, scratch);
        }
        n++;
      }
    });
    p.on('end', resolve);
    p.on('error', reject);
  });
  return n / ((performance.now() - t0) / 1000);
}

type Frame = [string, Buffer];

/** Stands in for a publisher during one replay and keeps a copy of every frame it is given. */
class FrameRecorder extends Publisher {
  readonly frames: Frame[] = [];
  override publish(topic: string, ...body: (Buffer | string)[]): boolean {
    this.frames.push([topic, Buffer.from(body[0] as Buffer)]);
    return true;
  }
}

/** The frames a replay of `files` publishes on the tick and book streams, in publishing order per stream. */
async function recordFrames(opts: Partial<ReplayOptions> & Pick<ReplayOptions, 'files'>): Promise<{ ticks: Frame[]; books: Frame[]; tickCount: number }> {
  const tickPub = new FrameRecorder({ stream: 'rec-ticks', endpoint: 'inproc://rec-ticks' });
  const bookPub = new FrameRecorder({ stream: 'rec-books', endpoint: 'inproc://rec-books' });
  const s = await new Replayer(baseReplay(opts, []), instruments, tickPub, bookPub, log, mdMetrics()).run();
  await Promise.all([tickPub.close(), bookPub.close()]);
  return { ticks: tickPub.frames, books: bookPub.frames, tickCount: s.ticks };
}

/** Publish pre-encoded frames as fast as the sockets take them: no reading, parsing or encoding. */
async function publishFrames(rec: { ticks: Frame[]; books: Frame[]; tickCount: number }, subscribers: number): Promise<{ ticksPerSec: number; seen: { ticks: number; gaps: number }[] }> {
  const tickPub = new Publisher({ stream: 'ticks', endpoint: 'tcp://127.0.0.1:*', highWaterMark: cfg.market_data.pub_hwm, linger: 0 });
  const bookPub = new Publisher({ stream: 'books', endpoint: 'tcp://127.0.0.1:*', highWaterMark: cfg.market_data.pub_hwm, linger: 0 });
  await tickPub.bind();
  await bookPub.bind();
  const counters = await Promise.all(Array.from({ length: subscribers }, (_, i) => startCounter(tickPub.boundEndpoint, `counter-${i}`)));
  if (subscribers) await tickPub.waitForConsumers(counters.map((_, i) => `counter-${i}`), 10_000);
  const t0 = performance.now();
  // Interleaved as the replay interleaves them: a book snapshot per tick frame or so.
  const n = Math.max(rec.ticks.length, rec.books.length);
  for (let i = 0; i < n; i++) {
    const t = rec.ticks[i];
    if (t) while (!tickPub.publish(t[0], t[1])) await tickPub.drain();
    const b = rec.books[i];
    if (b) while (!bookPub.publish(b[0], b[1])) await bookPub.drain();
  }
  await Promise.all([tickPub.drain(), bookPub.drain()]);
  const seconds = (performance.now() - t0) / 1000;
  for (const c of counters) c.child.send('stop');
  const seen = await Promise.all(counters.map((c) => c.done));
  await tickPub.close();
  await bookPub.close();
  return { ticksPerSec: rec.tickCount / seconds, seen };
}

function baseReplay(opts: Partial<ReplayOptions> & Pick<ReplayOptions, 'files'>, waitFor: string[]): ReplayOptions {
  return { speed: 'max', loop: false, strict: false, maxBatch: cfg.market_data.max_batch, bookDepth: 10, bookSnapshots: 'conflate', waitFor, waitTimeoutMs: 10_000, ...opts };
}

/** A subscriber in its own process (as a consumer daemon would be), counting ticks and sequence gaps. */
function startCounter(endpoint: string, name: string): Promise<{ child: ReturnType<typeof fork>; done: Promise<{ ticks: number; gaps: number }> }> {
  const child = fork(fileURLToPath(new URL('./tick-counter.js', import.meta.url)), [endpoint, name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve) => {
    child.once('message', () => resolve({ child, done: new Promise((r) => child.once('message', (m) => r(m as { ticks: number; gaps: number }))) }));
  });
}

async function replayOnce(opts: Partial<ReplayOptions> & Pick<ReplayOptions, 'files'>, subscribers: number) {
  const tickPub = new Publisher({ stream: 'ticks', endpoint: 'tcp://127.0.0.1:*', highWaterMark: cfg.market_data.pub_hwm, linger: 0 });
  const bookPub = new Publisher({ stream: 'books', endpoint: 'tcp://127.0.0.1:*', highWaterMark: cfg.market_data.pub_hwm, linger: 0 });
  await tickPub.bind();
  await bookPub.bind();
  const counters = await Promise.all(Array.from({ length: subscribers }, (_, i) => startCounter(tickPub.boundEndpoint, `counter-${i}`)));
  const replayer = new Replayer(
    baseReplay(opts, Array.from({ length: subscribers }, (_, i) => `counter-${i}@ticks`)),
    instruments,
    tickPub,
    bookPub,
    log,
    mdMetrics(),
  );
  const summary = await replayer.run();
  for (const c of counters) c.child.send('stop');
  const seen = await Promise.all(counters.map((c) => c.done));
  await tickPub.close();
  await bookPub.close();
  return { summary, seen };
}

const dir = mkdtempSync(join(tmpdir(), 'md-bench-'));
const file = join(dir, 'bench.csv');
writeSyntheticTicks(file, ROWS);
const files = [{ path: file, format: 'hft' as const }];
await csvParseAlone(file); // warm-up
const parseOnly = await csvParseAlone(file);
const parseAndRows = await csvParseAlone(file, new HftRowParser(['ts', 'symbol', 'type', 'side', 'price', 'qty'], instruments));
const catalogDir = join(dir, 'catalog');
const importStart = performance.now();
const imported = await importToCatalog(files, instruments, catalogDir);
const importSeconds = (performance.now() - importStart) / 1000;
const catalogBytes = imported.partitions.reduce((n, p) => n + statSync(p.path).size, 0);
const csvBytes = statSync(file).size;
const catalog = [{ path: catalogDir, format: 'catalog' as const }];
const frames = await recordFrames({ files: catalog });
await replayOnce({ files }, 0); // warm-up
await replayOnce({ files: catalog }, 0);
await publishFrames(frames, 0);
// Alternating, so a change in the machine's load falls on every variant alike.
const alone = await replayOnce({ files }, 0);
const fromCatalog = await replayOnce({ files: catalog }, 0);
const wire = await publishFrames(frames, 0);
const withSub = await replayOnce({ files }, 1);
const catalogWithSub = await replayOnce({ files: catalog }, 1);
const wireWithSub = await publishFrames(frames, 1);
const paced = await replayOnce({ files: [{ path: join(workspaceRoot(), 'data', 'market_data.csv'), format: 'hft' }], speed: 10, to: { timeOfDaySec: 14 * 3600 + 31 * 60 } }, 0);
rmSync(dir, { recursive: true, force: true });

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const tps = (s: { ticks: number; wallSeconds: number }): number => s.ticks / s.wallSeconds;
const result = {
  rows: ROWS,
  csvParseRowsPerSec: Math.round(parseOnly),
  csvParsePlusRowParsingRowsPerSec: Math.round(parseAndRows),
  replayMaxTicksPerSec: Math.round(tps(alone.summary)),
  replayMaxTicksPerSecWithSubscriber: Math.round(tps(withSub.summary)),
  replayVsCsvParse: +(tps(alone.summary) / parseOnly).toFixed(2),
  catalogImportSeconds: +importSeconds.toFixed(3),
  catalogPartitions: imported.partitions.length,
  catalogBytes,
  csvBytes,
  catalogReplayTicksPerSec: Math.round(tps(fromCatalog.summary)),
  catalogVsCsvReplay: +(tps(fromCatalog.summary) / tps(alone.summary)).toFixed(2),
  preEncodedTicksPerSec: Math.round(wire.ticksPerSec),
  catalogVsPreEncoded: +(tps(fromCatalog.summary) / wire.ticksPerSec).toFixed(2),
  catalogReplayTicksPerSecWithSubscriber: Math.round(tps(catalogWithSub.summary)),
  preEncodedTicksPerSecWithSubscriber: Math.round(wireWithSub.ticksPerSec),
  catalogVsCsvReplayWithSubscriber: +(tps(catalogWithSub.summary) / tps(withSub.summary)).toFixed(2),
  catalogVsPreEncodedWithSubscriber: +(tps(catalogWithSub.summary) / wireWithSub.ticksPerSec).toFixed(2),
  catalogSubscriberTicks: catalogWithSub.seen[0]?.ticks ?? 0,
  catalogSubscriberGaps: catalogWithSub.seen[0]?.gaps ?? 0,
  preEncodedSubscriberGaps: wireWithSub.seen[0]?.gaps ?? 0,
  subscriberTicks: withSub.seen[0]?.ticks ?? 0,
  subscriberGaps: withSub.seen[0]?.gaps ?? 0,
  framesPerRun: alone.summary.frames,
  pacedDataSeconds: +paced.summary.dataSeconds.toFixed(3),
  pacedWallSeconds: +paced.summary.wallSeconds.toFixed(3),
  pacedErrorPct: +((paced.summary.wallSeconds / (paced.summary.dataSeconds / 10) - 1) * 100).toFixed(2),
  pacedLagP50Ms: +((paced.summary.lagP50Seconds ?? 0) * 1e3).toFixed(3),
  pacedLagP99Ms: +((paced.summary.lagP99Seconds ?? 0) * 1e3).toFixed(3),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`market-data benchmark (${fmt(ROWS)} rows, own CSV format, ${cfg.market_data.max_batch} ticks/frame max)`);
  console.log(`  csv-parse alone                     ${fmt(result.csvParseRowsPerSec)} rows/s`);
  console.log(`  csv-parse + row parsing             ${fmt(result.csvParsePlusRowParsingRowsPerSec)} rows/s`);
  console.log(`  replay --speed max, CSV -> frames   ${fmt(result.replayMaxTicksPerSec)} ticks/s (${result.replayVsCsvParse}x csv-parse alone, ${fmt(result.framesPerRun)} frames)`);
  console.log(`  ... with a subscriber process       ${fmt(result.replayMaxTicksPerSecWithSubscriber)} ticks/s; it saw ${fmt(result.subscriberTicks)} ticks, ${result.subscriberGaps} sequence gaps`);
  console.log(`  catalog import                      ${result.catalogImportSeconds} s, ${result.catalogPartitions} partitions, ${fmt(result.catalogBytes)} bytes (CSV ${fmt(result.csvBytes)})`);
  console.log(`  replay --speed max, catalog         ${fmt(result.catalogReplayTicksPerSec)} ticks/s = ${result.catalogVsCsvReplay}x CSV replay, ${result.catalogVsPreEncoded}x pre-encoded`);
  console.log(`  pre-encoded frames, publish only    ${fmt(result.preEncodedTicksPerSec)} ticks/s (the wire's own limit)`);
  console.log(`  with a subscriber process: catalog ${fmt(result.catalogReplayTicksPerSecWithSubscriber)} ticks/s = ${result.catalogVsCsvReplayWithSubscriber}x CSV, ${result.catalogVsPreEncodedWithSubscriber}x pre-encoded (${fmt(result.preEncodedTicksPerSecWithSubscriber)}); it saw ${fmt(result.catalogSubscriberTicks)} ticks, ${result.catalogSubscriberGaps} gaps`);
  console.log(`  pacing: ${result.pacedDataSeconds} s of data at 10x took ${result.pacedWallSeconds} s (${result.pacedErrorPct >= 0 ? '+' : ''}${result.pacedErrorPct}% vs ideal), lag p50 ${result.pacedLagP50Ms} ms p99 ${result.pacedLagP99Ms} ms`);
}
process.exit(0);
