import { basename } from 'node:path';
import type { InstrumentRegistry } from '@hft/config';
import { TickKind } from '@hft/messages';
import { firstLine, openTickSource, ReplayInstruments, type BadRow, type FileSpec } from '@hft/replay';
import type { CandleStore, StoredCandle } from './candle-store.js';
import type { UpsertCounts } from './instrument-master.js';
import { MinuteCandles } from './minute-candles.js';
import { isOhlcvHeader, parseOhlcvCsv } from './ohlcv-csv.js';

export interface BackfillReport extends UpsertCounts {
  file: string;
  kind: 'ohlcv' | 'ticks';
  /** Minutes the file makes (after bad rows are left out). */
  candles: number;
  symbols: string[];
  /** Bad rows: how many, and the first few with where and why. */
  badRows: number;
  bad: { line: number; column?: string; why: string }[];
  firstMs: number | null;
  lastMs: number | null;
}

/**
 * Import one file into the candle store: 1-minute OHLCV bars as they are, or a tick file of any
 * replay format aggregated into minutes exactly as the live recorder does. Idempotent: the second
 * run of a file reports every minute unchanged.
 */
export async function backfillFile(spec: FileSpec, store: CandleStore, registry: InstrumentRegistry): Promise<BackfillReport> {
  let candles: StoredCandle[];
  let bad: BackfillReport['bad'] = [];
  let badRows = 0;
  let kind: BackfillReport['kind'];
  if (spec.format === 'auto' && isOhlcvHeader(firstLine(spec.path))) {
    kind = 'ohlcv';
    const parsed = parseOhlcvCsv(spec.path, registry);
    candles = parsed.candles;
    badRows = parsed.bad.length;
    bad = parsed.bad.slice(0, 20).map((b) => ({ line: b.line, column: b.column, why: `${b.why} (${JSON.stringify(b.value)})` }));
  } else {
    kind = 'ticks';
    const instruments = new ReplayInstruments(registry);
    const out: StoredCandle[] = [];
    const minutes = new MinuteCandles((c) => out.push(c));
    const source = openTickSource(spec, instruments, {
      strict: false,
      chunkBytes: 1 << 20,
      onBadRow: (b: BadRow) => {
        if (badRows++ < 20) bad.push({ line: b.line, why: `${b.reason}: ${b.detail}` });
      },
    });
    try {
      for (let batch = await source.next(4096); batch; batch = await source.next(4096)) {
        for (const t of batch) {
          if (t.kind !== TickKind.Trade) continue;
          minutes.trade(instruments.list[t.sym]!, t.sec * 1000 + Math.floor(t.nsec / 1e6), t.priceUnits, t.qtyUnits);
        }
      }
    } finally {
      source.close();
    }
    minutes.flush();
    candles = out;
  }
  const counts = await store.upsert(candles, 'backfill');
  let first: number | null = null;
  let last: number | null = null;
  for (const c of candles) {
    if (first === null || c.startMs < first) first = c.startMs;
    if (last === null || c.startMs > last) last = c.startMs;
  }
  return { file: basename(spec.path), kind, candles: candles.length, symbols: [...new Set(candles.map((c) => c.symbol))].sort(), badRows, bad, firstMs: first, lastMs: last, ...counts };
}
