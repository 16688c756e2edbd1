import type pg from 'pg';
import { migrate, migrationsBeside } from '@hft/migrations';

/** The market store's migrations (instruments, candles). */
export const MARKET_MIGRATIONS = migrationsBeside(import.meta.url);

/** Apply them (their own bookkeeping table, apart from the OMS ledger's). */
export async function migrateMarketStore(pool: pg.Pool): Promise<string[]> {
  return migrate(pool, { dir: MARKET_MIGRATIONS, table: 'market_schema_migrations' });
}
