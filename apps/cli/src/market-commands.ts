import { basename, resolve } from 'node:path';
import type { PlatformConfig } from '@hft/config';
import { backfillFile, CandleStore, InstrumentMaster, loadInstruments, migrateMarketStore, parseInstrumentCsv, storePool, type BackfillReport } from '@hft/market-store';
import { createLogger } from '@hft/logging';
import { PassThrough } from 'node:stream';
import { fileArg } from './file-arg.js';

const quiet = () => createLogger({ daemon: 'cli', destination: new PassThrough() });

/** `hft instruments import FILE`: the CSV's good rows into the master (idempotent), its bad rows listed. Exit 1 when there were bad rows. */
export async function importInstruments(cfg: PlatformConfig, file: string, json: boolean): Promise<number> {
  const { rows, bad } = parseInstrumentCsv(resolve(file));
  const pool = storePool(cfg.services.database_url, 2);
  try {
    await migrateMarketStore(pool);
    const counts = await new InstrumentMaster(pool).upsert(rows);
    if (json) process.stdout.write(`${JSON.stringify({ file, rows: rows.length, ...counts, badRows: bad.length, bad })}\n`);
    else {
      process.stdout.write(`${basename(file)}: ${rows.length} instruments: ${counts.inserted} inserted, ${counts.updated} updated, ${counts.unchanged} unchanged${bad.length ? `; ${bad.length} bad rows left out:` : ''}\n`);
      for (const b of bad.slice(0, 50)) process.stdout.write(`  line ${b.line}, ${b.column}${b.value ? ` ${JSON.stringify(b.value)}` : ''}: ${b.why}\n`);
      if (bad.length > 50) process.stdout.write(`  ... and ${bad.length - 50} more (--json lists them all)\n`);
    }
    return bad.length ? 1 : 0;
  } finally {
    await pool.end();
  }
}

/** `hft backfill FILE...`: OHLCV bars or tick files into the candle store, idempotently. Exit 1 when a file had bad rows. */
export async function backfill(cfg: PlatformConfig, files: string[], json: boolean): Promise<number> {
  const registry = await loadInstruments(cfg, quiet());
  const pool = storePool(cfg.services.database_url, 2);
  const reports: BackfillReport[] = [];
  try {
    await migrateMarketStore(pool);
    const store = new CandleStore(pool);
    for (const f of files) {
      const r = await backfillFile(fileArg(f), store, registry);
      reports.push(r);
      if (!json) {
        const span = r.firstMs === null ? '' : ` ${new Date(r.firstMs).toISOString()} .. ${new Date(r.lastMs!).toISOString()}`;
        process.stdout.write(`${r.file} (${r.kind}): ${r.candles} minutes of ${r.symbols.join(', ') || 'nothing'}${span}: ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged${r.badRows ? `; ${r.badRows} bad rows left out` : ''}\n`);
        for (const b of r.bad) process.stdout.write(`  line ${b.line}${b.column ? `, ${b.column}` : ''}: ${b.why}\n`);
      }
    }
    if (json) process.stdout.write(`${JSON.stringify(reports)}\n`);
    return reports.some((r) => r.badRows > 0) ? 1 : 0;
  } finally {
    await pool.end();
  }
}
