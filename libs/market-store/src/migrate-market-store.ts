import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { migrate } from '@hft/migrations';

/** The market store's migrations (instruments, candles), beside src/ and dist/ alike. */
const here = dirname(fileURLToPath(import.meta.url));
export const MARKET_MIGRATIONS = [join(here, '..', 'migrations'), join(here, '..', '..', 'migrations')].find((d) => existsSync(d))!;

/** Apply them (their own bookkeeping table, apart from the OMS ledger's). */
export async function migrateMarketStore(pool: pg.Pool): Promise<string[]> {
  return migrate(pool, { dir: MARKET_MIGRATIONS, table: 'market_schema_migrations' });
}
