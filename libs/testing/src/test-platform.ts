// The whole platform as `hft up` starts it (seven processes, real sockets, Redis, Postgres), on a
// private set of loopback ports, a private database, a private Redis key prefix and private secrets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type PlatformConfig } from '@hft/config';
import { scrape, total, type Sample } from '@hft/metrics';
import { appMain, enabledDaemons, ensureSecrets, httpPort, platformSpecs, startPlatform, type DaemonName, type Supervisor } from '@hft/supervisor';
import { platformEnv } from './platform-env.js';
import { privateDatabase } from './postgres.js';

export interface TestPlatform {
  cfg: PlatformConfig;
  env: Record<string, string>;
  sup: Supervisor;
  db: pg.Pool;
  dir: string;
  url(d: DaemonName, path: string): string;
  metrics(d: DaemonName): Promise<Sample[]>;
  metric(d: DaemonName, name: string, where?: Record<string, string>): Promise<number>;
  /** Log in at the security daemon as a user created for the test. */
  login(user: 'rita' | 'dana'): Promise<string>;
  /** Start a daemon left out with `hold` (e.g. market-data once the test has set up what the replay meets). */
  startHeld(d: DaemonName): Promise<void>;
  stop(): Promise<void>;
}

/** Password of the test users (rita: risk, dana: dev). */
export const TEST_PASSWORD = 'correct horse battery staple';

export async function startTestPlatform(o: {
  speed: string;
  files?: string[];
  loop?: boolean;
  replayArgs?: string[];
  env?: Record<string, string>;
  /** Server for the private database (default: the shared one). */
  databaseServer?: string;
  /** Start only these daemons (the test plays the others). */
  only?: readonly DaemonName[];
  /** Daemons not started yet: the test starts each with `startHeld`. */
  hold?: readonly DaemonName[];
  /** More users, added before the security daemon starts (it reads its users file at start). */
  users?: readonly { name: string; roles: string; password: string }[];
}): Promise<TestPlatform> {
  const p = await platformEnv();
  const database = await privateDatabase(o.databaseServer);
  const dir = mkdtempSync(join(tmpdir(), 'platform-'));
  const local = (port: number) => `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...p.env,
    DATABASE_URL: database.url,
    HFT_RUN_DIR: dir,
    HFT__SECURITY__PRIVATE_KEY_FILE: join(dir, 'jwt-signing.pem'),
    HFT__SECURITY__USERS_FILE: join(dir, 'users.toml'),
    HFT__SECURITY__JWKS_URL: `${local(p.http.security)}/.well-known/jwks.json`,
    HFT__MONITORING__RISK_URL: local(p.http.risk),
    HFT__MONITORING__OMS_URL: local(p.http.oms),
    HFT__MONITORING__MARKET_SERVICES_URL: local(p.http.market_services),
    HFT__MONITORING__SECURITY_URL: local(p.http.security),
    HFT__RISK__OMS_URL: local(p.http.oms),
    HFT__STRATEGY__RISK_URL: local(p.http.risk),
    HFT__STRATEGY__OMS_URL: local(p.http.oms),
    HFT__STRATEGY__SECURITY_URL: local(p.http.security),
    HFT__RISK__SECURITY_URL: local(p.http.security),
    HFT__FIX_GATEWAY__SECURITY_URL: local(p.http.security),
    HFT__FIX_GATEWAY__OMS_URL: local(p.http.oms),
    ...o.env,
  };
  // A risk officer and a developer, as an operator would add them.
  for (const [name, roles, password] of [['rita', 'risk', TEST_PASSWORD], ['dana', 'dev', TEST_PASSWORD], ...(o.users ?? []).map((u) => [u.name, u.roles, u.password])]) {
    const r = spawnSync(process.execPath, [appMain('security'), 'add-user', '--name', name!, '--roles', roles!, '--password-env', 'PW'], { encoding: 'utf8', env: { ...process.env, ...env, PW: password } });
    if (r.status !== 0) throw new Error(`add-user ${name}: ${r.stderr}`);
  }
  const cfg = loadConfig({ env: { ...process.env, ...env } });
  const options = { speed: o.speed, files: o.files ?? ['data/market_data.csv'], loop: o.loop ?? false, replayArgs: o.replayArgs ?? [] };
  const only = (o.only ?? enabledDaemons(cfg)).filter((d) => !o.hold?.includes(d));
  const sup = await startPlatform(cfg, env, { ...options, runDir: dir, ...(o.only || o.hold ? { only } : {}) });
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  // Tests stop Postgres on purpose: a dropped idle connection is not a test failure.
  db.on('error', () => {});
  const url = (d: DaemonName, path: string) => `${local(httpPort(cfg, d))}${path}`;
  return {
    cfg,
    env,
    sup,
    db,
    dir,
    url,
    metrics: (d) => scrape(httpPort(cfg, d)),
    metric: async (d, name, where = {}) => total(await scrape(httpPort(cfg, d)), name, where),
    async login(user) {
      const res = await fetch(url('security', '/token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user, password: TEST_PASSWORD }) });
      if (!res.ok) throw new Error(`login ${user}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    async startHeld(d) {
      const spec = platformSpecs(cfg, { ...options, accounts: ensureSecrets(cfg, env, dir), runDir: dir, only: [d], running: sup.names() as DaemonName[] }, { ...process.env, ...env } as Record<string, string>)[0]!;
      await sup.start(spec);
    },
    async stop() {
      await sup.stopAll();
      await db.end();
      await database.drop();
    },
  };
}

