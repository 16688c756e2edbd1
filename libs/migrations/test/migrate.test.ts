import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { privateDatabase } from '@hft/testing';
import { migrate } from '../src/index.js';

let db: Awaited<ReturnType<typeof privateDatabase>>;
let pool: pg.Pool;
beforeAll(async () => {
  db = await privateDatabase();
  pool = new pg.Pool({ connectionString: db.url });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

it('applies each set once, in order, in its own table; an edited applied migration is refused', async () => {
  const a = mkdtempSync(join(tmpdir(), 'mig-a-'));
  const b = mkdtempSync(join(tmpdir(), 'mig-b-'));
  writeFileSync(join(a, '001_one.sql'), 'CREATE TABLE one (x int);');
  writeFileSync(join(a, '002_two.sql'), 'CREATE TABLE two (x int);');
  writeFileSync(join(b, '001_other.sql'), 'CREATE TABLE other (x int);');
  expect(await migrate(pool, a)).toEqual(['001_one.sql', '002_two.sql']);
  expect(await migrate(pool, a)).toEqual([]);
  expect(await migrate(pool, { dir: b, table: 'other_migrations' })).toEqual(['001_other.sql']);
  writeFileSync(join(a, '002_two.sql'), 'CREATE TABLE two (y int);');
  await expect(migrate(pool, a)).rejects.toMatchObject({ code: 'HFT_MIGRATION_CHANGED' });
  writeFileSync(join(b, '002_bad.sql'), 'CREATE TABLE broken (;');
  await expect(migrate(pool, { dir: b, table: 'other_migrations' })).rejects.toMatchObject({ code: 'HFT_MIGRATION_FAILED' });
});
