import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://hft@127.0.0.1:5432/hft';

/** A fresh database on the shared server (dropped by `drop`), so ledger tests never see each other. */
export async function privateDatabase(base = DATABASE_URL): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `hft_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

function pgBin(): string {
  const root = '/usr/lib/postgresql';
  const v = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a))[0] : undefined;
  if (!v) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (scripts/services.sh installs them)');
  return join(root, v, 'bin');
}

export interface PrivatePostgres {
  port: number;
  url: string;
  /** Stop it: "immediate" is a crash (no checkpoint), "fast" a clean shutdown. */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  destroy(): void;
}

/**
 * A Postgres server of the test's own (initdb into a temp dir, loopback, private port), so an outage
 * test can stop and start it without touching the shared one. Runs as the postgres user when root.
 */
export function startPrivatePostgres(port: number, o: { host?: string; prefix?: string[]; trustSubnet?: string } = {}): PrivatePostgres {
  const bin = pgBin();
  const host = o.host ?? '127.0.0.1';
  const prefix = o.prefix ?? [];
  const root = mkdtempSync(join(tmpdir(), 'pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  chmodSync(root, 0o777);
  const run = (cmd: string, args: string[]): void => {
    const inner = asRoot ? ['runuser', '-u', 'postgres', '--', join(bin, cmd), ...args] : [join(bin, cmd), ...args];
    const [c, ...rest] = [...prefix, ...inner];
    const r = spawnSync(c!, rest, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '-U', 'hft', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
  // Other (simulated) hosts on a private subnet may connect, e.g. across network namespaces.
  if (o.trustSubnet) appendFileSync(join(data, 'pg_hba.conf'), `host all all ${o.trustSubnet} trust\n`);
  const start = (): void => run('pg_ctl', ['-D', data, '-l', join(root, 'log'), '-w', '-t', '30', '-o', `-p ${port} -k ${root} -c listen_addresses=${host} -c fsync=off`, 'start']);
  start();
  run('createdb', ['-h', host, '-p', String(port), '-U', 'hft', 'hft']);
  let running = true;
  return {
    port,
    url: `postgres://hft@${host}:${port}/hft`,
    stop(mode = 'immediate') {
      if (!running) return;
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    start() {
      if (running) return;
      start();
      running = true;
    },
    destroy() {
      if (running) this.stop('immediate');
    },
  };
}
