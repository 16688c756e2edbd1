// market-data benchmark: --speed max throughput from CSV to published frames, beside csv-parse alone
// on the same file (ratio), plus pacing accuracy of a 60 s span at 10x.
// Run: npx nx run market-data:bench   (or node apps/market-data/dist/bench/replay-bench.js [--rows N])

import { fork } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
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
import { HftRowParser, type RawTick, ReplayInstruments, writeSyntheticTicks } from '@hft/replay';

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
    { speed: 'max', loop: false, strict: false, maxBatch: cfg.market_data.max_batch, bookDepth: 10, bookSnapshots: 'conflate', waitFor: Array.from({ length: subscribers }, (_, i) => `counter-${i}@ticks`), waitTimeoutMs: 10_000, ...opts },
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
await replayOnce({ files }, 0); // warm-up
const alone = await replayOnce({ files }, 0);
const withSub = await replayOnce({ files }, 1);
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
  console.log(`  pacing: ${result.pacedDataSeconds} s of data at 10x took ${result.pacedWallSeconds} s (${result.pacedErrorPct >= 0 ? '+' : ''}${result.pacedErrorPct}% vs ideal), lag p50 ${result.pacedLagP50Ms} ms p99 ${result.pacedLagP99Ms} ms`);
}
process.exit(0);
