import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { fromRoot, type PlatformConfig } from '@hft/config';
import { enabledDaemons, httpPort } from '@hft/supervisor';

export interface Finding {
  check: string;
  ok: boolean;
  detail: string;
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port, timeout: 1000 });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
  });
}

/** Check everything the platform needs and say exactly what is wrong. */
export async function doctor(cfg: PlatformConfig): Promise<Finding[]> {
  const out: Finding[] = [];
  const add = (check: string, ok: boolean, detail: string): void => void out.push({ check, ok, detail });

  const redis = new Redis(cfg.services.redis_url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 1500, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    add('redis', (await redis.ping()) === 'PONG', `${cfg.services.redis_url} answers PING`);
  } catch (e) {
    add('redis', false, `${cfg.services.redis_url} unreachable (${(e as Error).message}): start it with scripts/services.sh start or set REDIS_URL`);
  } finally {
    redis.disconnect();
  }

  const client = new pg.Client({ connectionString: cfg.services.database_url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    const m = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM information_schema.tables WHERE table_name = 'schema_migrations'");
    const migrated = m.rows[0]!.n !== '0';
    add('postgres', true, `${cfg.services.database_url.replace(/:[^:@/]*@/, ':***@')} accepts connections${migrated ? ', ledger migrated' : ', ledger not migrated yet (the OMS migrates on start)'}`);
  } catch (e) {
    add('postgres', false, `${cfg.services.database_url.replace(/:[^:@/]*@/, ':***@')}: ${(e as Error).message}; start it with scripts/services.sh start or set DATABASE_URL`);
  } finally {
    await client.end().catch(() => {});
  }

  const key = fromRoot(cfg.security.private_key_file);
  add('signing key', existsSync(key), existsSync(key) ? key : `${key} missing: \`npx hft up\` creates it, or hft-security keygen`);
  const users = fromRoot(cfg.security.users_file);
  add('users file', existsSync(users), existsSync(users) ? users : `${users} missing: hft-security add-user creates it`);

  for (const d of enabledDaemons(cfg)) {
    const port = httpPort(cfg, d);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1500) });
      const h = (await res.json()) as { status: string; components: Record<string, { status: string; detail?: string }> };
      const bad = Object.entries(h.components).filter(([, c]) => c.status !== 'ok');
      add(`daemon ${d}`, h.status !== 'down', `:${port} ${h.status}${bad.length ? ` (${bad.map(([n, c]) => `${n}: ${c.detail ?? c.status}`).join('; ')})` : ''}`);
    } catch {
      add(`daemon ${d}`, false, `not answering on :${port}/health (not started? \`npx hft up\`; logs in .run/logs/${d}.log)`);
    }
  }

  for (const [name, ep] of Object.entries(cfg.endpoints)) {
    const m = /^tcp:\/\/([^:]+|\[[^\]]+\]):(\d+)$/.exec(ep.connect);
    if (!m) {
      add(`zmq ${name}`, true, `${ep.connect} (not TCP: not probed)`);
      continue;
    }
    const host = m[1]!.replace(/^\[|\]$/g, '');
    const open = await tcpOpen(host === '*' || host === '0.0.0.0' ? '127.0.0.1' : host, Number(m[2]));
    add(`zmq ${name}`, open, open ? `${ep.connect} is listening` : `${ep.connect} is not listening: the daemon that binds it is down, or bind/connect addresses disagree`);
  }
  return out;
}
