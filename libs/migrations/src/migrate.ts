import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { ERR_MIGRATION_CHANGED, ERR_MIGRATION_FAILED } from './errors.js';
import { withTransaction } from './with-transaction.js';

/** A set of migrations with its own bookkeeping table: the OMS's ledger, the market store... */
export interface MigrationSet {
  dir: string;
  /** Table of applied versions (default schema_migrations, the OMS's). */
  table?: string;
}

/**
 * Apply versioned migrations (`NNN_name.sql`, in order) that are not applied yet, in one transaction
 * under an advisory lock so two daemons starting together cannot both migrate. An applied migration that
 * was edited afterwards is refused. Each set keeps its own table, so daemons owning different schemas
 * in one database migrate independently.
 */
export async function migrate(pool: pg.Pool, set: string | MigrationSet): Promise<string[]> {
  const { dir, table = 'schema_migrations' } = typeof set === 'string' ? { dir: set } : set;
  if (!/^[a-z_]+$/.test(table)) throw new Error(`migration table name ${table} must be [a-z_]+`);
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return withTransaction(pool, async (client) => {
    const applied: string[] = [];
    await client.query("SELECT pg_advisory_xact_lock(hashtext('hft_migrations:' || $1))", [table]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map((await client.query<{ version: number; checksum: string }>(`SELECT version, checksum FROM ${table}`)).rows.map((r) => [r.version, r.checksum]));
    for (const f of files) {
      const sql = readFileSync(join(dir, f), 'utf8');
      const version = Number(f.slice(0, 3));
      const checksum = createHash('sha256').update(sql).digest('hex');
      const prior = done.get(version);
      if (prior !== undefined) {
        if (prior !== checksum) throw ERR_MIGRATION_CHANGED(f);
        continue;
      }
      try {
        await client.query(sql);
      } catch (e) {
        throw ERR_MIGRATION_FAILED(f, (e as Error).message);
      }
      await client.query(`INSERT INTO ${table} (version, name, checksum) VALUES ($1, $2, $3)`, [version, f, checksum]);
      applied.push(f);
    }
    return applied;
  });
}
