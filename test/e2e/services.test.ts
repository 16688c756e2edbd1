// The services the platform needs are really there: scripts/services.sh started them (or the
// caller pointed REDIS_URL / DATABASE_URL elsewhere) and they accept writes.
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://hft@127.0.0.1:5432/hft';

describe('local services', () => {
  it('Redis accepts writes and reads them back', async () => {
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    const key = `e2e:services:${process.pid}`;
    await r.set(key, 'ok', 'EX', 30);
    expect(await r.get(key)).toBe('ok');
    await r.quit();
  });

  it('Postgres runs transactions with exact numerics in the hft database', async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query('begin');
    await c.query('create temp table t (px numeric(20,8)) on commit drop');
    await c.query('insert into t values ($1), ($2)', ['0.1', '0.2']);
    const { rows } = await c.query<{ s: string; db: string }>('select sum(px)::text as s, current_database() as db from t');
    await c.query('commit');
    expect(rows[0]).toEqual({ s: '0.30000000', db: 'hft' });
    await c.end();
  });
});
