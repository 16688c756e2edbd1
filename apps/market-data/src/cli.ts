import { isAbsolute, resolve } from 'node:path';
import { TICK_FORMATS, WAIT_FOR_ENTRY, WAIT_FOR_RULE, workspaceRoot, type PlatformConfig, type TickFormat } from '@hft/config';
import yargs from 'yargs';
import { ERR_MD_BAD_OPTION } from './errors.js';
import type { ReplayOptions, WindowBound } from './replayer.js';
import { type FileSpec, parseEpochNs, parseIso, type Instant } from '@hft/replay';

export interface CliArgs {
  files: string[];
  config?: string;
  speed?: string;
  from?: string;
  to?: string;
  loop: boolean;
  symbols?: string;
  format: TickFormat;
  itchDate?: string;
  strict: boolean;
  bookSnapshots?: 'conflate' | 'every';
  waitFor?: string;
  waitTimeoutMs?: number;
  stay: boolean;
  progress: boolean;
  json: boolean;
  httpPort?: number;
  lobsterOrderbook?: string;
}

export function parseCli(argv: string[]): CliArgs {
  return yargs(argv)
    .scriptName('hft replay')
    .command(
      '$0 [files..]',
      'Replay tick files through the native L2 books onto md.tick.<SYM> / md.book.<SYM>.\nWithout files, replays [market_data].files from config/platform.toml.',
      (y) => y.positional('files', { describe: 'tick files; name the symbol of symbol-less formats with path@SYMBOL', type: 'string', array: true }),
    )
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)' })
    .option('speed', { type: 'string', describe: 'multiplier of the original inter-arrival times (1, 10, 0.5, ...) or "max"' })
    .option('from', { type: 'string', describe: 'skip ticks before: ISO 8601, epoch ns, or HH:MM[:SS] UTC on the first tick\'s date' })
    .option('to', { type: 'string', describe: 'stop after: same forms as --from' })
    .option('loop', { type: 'boolean', default: false, describe: 'start over at the end (timestamps keep increasing)' })
    .option('symbols', { type: 'string', describe: 'comma-separated symbols to replay (default all)' })
    .option('format', { choices: TICK_FORMATS, default: 'auto' as TickFormat, describe: 'format of the files given on the command line' })
    .option('strict', { type: 'boolean', default: false, describe: 'abort on the first bad row instead of reporting and skipping it' })
    .option('lobster-orderbook', { type: 'string', describe: 'LOBSTER orderbook file the (one) message file starts from (default: the _orderbook_ file beside it)' })
    .option('itch-date', { type: 'string', describe: 'trading day (YYYY-MM-DD) of ITCH files whose name does not carry it (MMDDYYYY.NASDAQ_ITCH50)' })
    .option('book-snapshots', { choices: ['conflate', 'every'] as const, describe: 'one book snapshot per publish cycle, or one per update' })
    .option('wait-for', { type: 'string', describe: 'consumers to wait for before the first tick, comma-separated: NAME (on ticks and books), NAME@ticks, NAME@books; each subscribes ~ready.NAME after its topics' })
    .option('wait-timeout-ms', { type: 'number', describe: 'give up waiting for subscribers after this long' })
    .option('stay', { type: 'boolean', default: false, describe: 'keep serving /metrics and /health after the replay (daemon mode)' })
    .option('progress', { type: 'boolean', default: true, describe: 'progress line on stderr every second' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON on stdout' })
    .option('http-port', { type: 'number', describe: 'port for /metrics and /health (default [market_data].http_port; 0 = any free port)' })
    .example('$0 --speed 10', 'replay the configured sample files at 10x')
    .example('$0 data/btc.csv@BTC-USDT --speed max --json', 'one Binance trades file as fast as possible')
    .example('$0 data/market_data.csv --symbols AAPL --from 14:31 --to 14:33 --loop', 'two minutes of AAPL, over and over')
    .example('$0 data/itch/03022026.NASDAQ_ITCH50 --symbols NVDA --speed 10', 'NASDAQ TotalView-ITCH 5.0, one stock of the file')
    .strict()
    .help()
    .version(false)
    .parseSync() as unknown as CliArgs & { _: (string | number)[] };
}

function consumerNames(s: string): string[] {
  const names = s.split(',').map((n) => n.trim()).filter(Boolean);
  for (const n of names) if (!WAIT_FOR_ENTRY.test(n)) throw ERR_MD_BAD_OPTION('wait-for', `${JSON.stringify(n)} is not ${WAIT_FOR_RULE}`);
  return names;
}

function parseBound(name: string, s: string | undefined): WindowBound | undefined {
  if (s === undefined) return undefined;
  const t: Instant = { sec: 0, nsec: 0 };
  if (parseEpochNs(s, t) || parseIso(s, t)) return t;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/.exec(s);
  if (m) return { timeOfDaySec: Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3] ?? 0) };
  throw ERR_MD_BAD_OPTION(name, `${JSON.stringify(s)} is not ISO 8601, epoch ns or HH:MM[:SS]`);
}

function parseSpeed(s: string): number | 'max' {
  if (s === 'max') return 'max';
  const v = Number(s);
  if (!Number.isFinite(v) || v <= 0) throw ERR_MD_BAD_OPTION('speed', `${JSON.stringify(s)} is not a positive number or "max"`);
  return v;
}

/** Command line over config: what the replay will do. */
export function replayOptions(args: CliArgs & { _?: (string | number)[] }, cfg: PlatformConfig): ReplayOptions {
  const md = cfg.market_data;
  const positional = [...(args.files ?? []), ...(args._ ?? []).map(String)];
  const files: FileSpec[] = positional.length
    ? positional.map((f) => {
        const at = f.lastIndexOf('@');
        return at > 0 ? { path: f.slice(0, at), symbol: f.slice(at + 1), format: args.format } : { path: f, format: args.format };
      })
    : md.files.map((f) => {
        // Config paths are relative to the repository root, command-line paths to the working directory.
        const spec = typeof f === 'string' ? { path: f, format: 'auto' as const } : { ...f };
        const fromRoot = (p: string): string => (isAbsolute(p) ? p : resolve(workspaceRoot(), p));
        return { ...spec, path: fromRoot(spec.path), ...(typeof f !== 'string' && f.orderbook ? { orderbook: fromRoot(f.orderbook) } : {}) };
      });
  if (args.itchDate !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(args.itchDate)) throw ERR_MD_BAD_OPTION('itch-date', `${JSON.stringify(args.itchDate)} is not a date YYYY-MM-DD`);
    for (const f of files) f.date = args.itchDate;
  }
  if (args.lobsterOrderbook) {
    if (files.length !== 1) throw ERR_MD_BAD_OPTION('lobster-orderbook', `goes with exactly one message file, got ${files.length}`);
    files[0]!.orderbook = args.lobsterOrderbook;
  }
  const from = parseBound('from', args.from);
  const to = parseBound('to', args.to);
  const symbols = args.symbols ? args.symbols.split(',').map((s) => s.trim()).filter(Boolean) : null;
  // A catalog reads only the partitions the window and the symbols need (a CSV file ignores these).
  for (const f of files) {
    if (symbols) f.symbols = symbols;
    if (from && 'sec' in from) f.fromDate = new Date(from.sec * 1000).toISOString().slice(0, 10);
    if (to && 'sec' in to) f.toDate = new Date(to.sec * 1000).toISOString().slice(0, 10);
  }
  return {
    files,
    speed: parseSpeed(args.speed ?? md.speed),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    loop: args.loop,
    ...(symbols ? { symbols: new Set(symbols) } : {}),
    strict: args.strict,
    maxBatch: md.max_batch,
    bookDepth: md.book_depth,
    bookSnapshots: args.bookSnapshots ?? md.book_snapshots,
    sampledBookMs: md.sampled_book_ms,
    tradeTopic: md.trade_topic,
    waitFor: args.waitFor !== undefined ? consumerNames(args.waitFor) : md.wait_for,
    waitTimeoutMs: args.waitTimeoutMs ?? md.wait_timeout_ms,
  };
}
