// The pipeline across two (simulated) machines: network namespaces of this test's own, joined by a
// private bridge, each with its own network stack, so every daemon keeps its default ports. Site A
// runs Redis, Postgres, risk, the OMS and security; site B market data, strategies, the exchange
// simulator, monitoring and the FIX gateway. Only configuration (HFT__ environment overrides) differs from one host.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadConfig } from '@hft/config';
import { wire } from '@hft/messages';
import { scrape, total } from '@hft/metrics';
import { appMain, httpPort, startPlatform, type DaemonName, type Supervisor } from '@hft/supervisor';
import { startPrivatePostgres, startPrivateRedis, TEST_PASSWORD, until, type PrivatePostgres, type PrivateRedis } from '@hft/testing';

const id = (process.pid % 200) + 20;
const NET = `10.231.${id}`;
const A = { ns: `hft${id}a`, ip: `${NET}.1` };
const B = { ns: `hft${id}b`, ip: `${NET}.2` };
const BRIDGE = { dev: `hft${id}br`, ip: `${NET}.254` };
const SITE_A: DaemonName[] = ['security', 'risk', 'oms'];
const site = (d: DaemonName) => (SITE_A.includes(d) ? A : B);

function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

function teardownNetwork(): void {
  for (const args of [['netns', 'del', A.ns], ['netns', 'del', B.ns], ['link', 'del', BRIDGE.dev]]) spawnSync('ip', args);
}

let sup: Supervisor | null = null;
let redis: PrivateRedis | null = null;
let postgres: PrivatePostgres | null = null;
let env: Record<string, string> = {};

beforeAll(async () => {
  teardownNetwork();
  ip('link', 'add', BRIDGE.dev, 'type', 'bridge');
  ip('addr', 'add', `${BRIDGE.ip}/24`, 'dev', BRIDGE.dev);
  ip('link', 'set', BRIDGE.dev, 'up');
  for (const [n, s] of [['a', A], ['b', B]] as const) {
    ip('netns', 'add', s.ns);
    ip('link', 'add', `hft${id}${n}h`, 'type', 'veth', 'peer', 'name', `hft${id}${n}n`);
    ip('link', 'set', `hft${id}${n}n`, 'netns', s.ns);
    ip('link', 'set', `hft${id}${n}h`, 'master', BRIDGE.dev);
    ip('link', 'set', `hft${id}${n}h`, 'up');
    ip('-n', s.ns, 'addr', 'add', `${s.ip}/24`, 'dev', `hft${id}${n}n`);
    ip('-n', s.ns, 'link', 'set', `hft${id}${n}n`, 'up');
    ip('-n', s.ns, 'link', 'set', 'lo', 'up');
  }
  const inA = ['ip', 'netns', 'exec', A.ns];
  redis = await startPrivateRedis(6379, { host: A.ip, prefix: inA });
  postgres = startPrivatePostgres(5432, { host: A.ip, prefix: inA, trustSubnet: `${NET}.0/24` });

  // The whole difference from a one-host run: addresses. Each socket binds on its owner's host.
  const dir = mkdtempSync(join(tmpdir(), 'multi-host-'));
  const defaults = loadConfig({ env: {} });
  // Each socket binds on its owner's host, as the wire contract declares.
  const owner = Object.fromEntries(Object.entries(wire).map(([name, c]) => [name, c.owner])) as Record<string, DaemonName>;
  env = {
    LOG_LEVEL: 'warn',
    HFT_RUN_DIR: dir,
    HFT__OMS__JOURNAL_DIR: join(dir, 'oms-journal'),
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    HFT__SECURITY__PRIVATE_KEY_FILE: join(dir, 'jwt-signing.pem'),
    HFT__SECURITY__USERS_FILE: join(dir, 'users.toml'),
    HFT__SECURITY__JWKS_URL: `http://${A.ip}:${defaults.security.http_port}/.well-known/jwks.json`,
    HFT__MONITORING__RISK_URL: `http://${A.ip}:${defaults.risk.http_port}`,
    HFT__MONITORING__OMS_URL: `http://${A.ip}:${defaults.oms.http_port}`,
    HFT__MONITORING__SECURITY_URL: `http://${A.ip}:${defaults.security.http_port}`,
    HFT__RISK__OMS_URL: `http://${A.ip}:${defaults.oms.http_port}`,
    HFT__RISK__SECURITY_URL: `http://${A.ip}:${defaults.security.http_port}`,
    HFT__STRATEGY__RISK_URL: `http://${A.ip}:${defaults.risk.http_port}`,
    HFT__STRATEGY__OMS_URL: `http://${A.ip}:${defaults.oms.http_port}`,
    HFT__STRATEGY__SECURITY_URL: `http://${A.ip}:${defaults.security.http_port}`,
    HFT__FIX_GATEWAY__SECURITY_URL: `http://${A.ip}:${defaults.security.http_port}`,
    HFT__FIX_GATEWAY__OMS_URL: `http://${A.ip}:${defaults.oms.http_port}`,
  };
  for (const [name, ep] of Object.entries(defaults.endpoints)) {
    const port = /:(\d+)$/.exec(ep.bind)![1];
    const at = site(owner[name]!).ip;
    env[`HFT__ENDPOINTS__${name.toUpperCase()}__BIND`] = `tcp://${at}:${port}`;
    env[`HFT__ENDPOINTS__${name.toUpperCase()}__CONNECT`] = `tcp://${at}:${port}`;
  }
  for (const [name, roles] of [['rita', 'risk']] as const) {
    const r = spawnSync(process.execPath, [appMain('security'), 'add-user', '--name', name, '--roles', roles, '--password-env', 'PW'], { encoding: 'utf8', env: { ...process.env, ...env, PW: TEST_PASSWORD } });
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const cfg = loadConfig({ env: { ...process.env, ...env } });
  sup = await startPlatform(cfg, env, {
    speed: '10',
    files: ['data/market_data.csv'],
    loop: true,
    runDir: dir,
    placement: (d) => ({ prefix: ['ip', 'netns', 'exec', site(d).ns], host: site(d).ip, env: { HFT__SERVICES__HTTP_HOST: site(d).ip } }),
  });
}, 180_000);

afterAll(async () => {
  await sup?.stopAll();
  await redis?.stop();
  postgres?.destroy();
  teardownNetwork();
}, 60_000);

describe('two hosts (network namespaces, TCP over a bridge)', () => {
  it('runs the pipeline across hosts: ticks on B reach strategies on B, orders cross to risk and the OMS on A, fills come back to A', async () => {
    const cfg = loadConfig({ env: {} });
    const at = (d: DaemonName) => `${site(d).ip}:${httpPort(cfg, d)}`;
    const db = new pg.Pool({ connectionString: postgres!.url, max: 1 });
    try {
      await until(async () => (await db.query('SELECT count(*)::int AS n FROM fills')).rows[0].n > 0, 'fills in the ledger on host A', 90_000);
      // Each daemon answers on its own host's address, not on loopback.
      for (const d of ['market-data', 'strategy', 'risk', 'oms', 'execution', 'monitoring', 'security'] as DaemonName[]) {
        const res = await fetch(`http://${at(d)}/health`);
        expect({ d, ok: res.ok }).toEqual({ d, ok: true });
      }
      const oms = await scrape(httpPort(cfg, 'oms'), A.ip);
      const exec = await scrape(httpPort(cfg, 'execution'), B.ip);
      expect(total(exec, 'hft_exec_fills_total')).toBeGreaterThan(0);
      // Execution reports crossed from B to the OMS on A.
      expect(total(oms, 'hft_zmq_received_total', { stream: 'venue' })).toBeGreaterThan(0);
      // The risk officer's kill-switch through monitoring on B, to risk on A.
      const login = await fetch(`http://${at('security')}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'rita', password: TEST_PASSWORD }) });
      const { access_token } = (await login.json()) as { access_token: string };
      const ks = await fetch(`http://${at('monitoring')}/api/risk/kill-switch`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ engaged: true, scope: 'global', reason: 'multi-host drill' }),
      });
      expect(ks.status).toBe(200);
      await until(async () => (await db.query("SELECT count(*)::int AS n FROM orders WHERE status IN ('PendingNew', 'New', 'PartiallyFilled', 'PendingCancel')")).rows[0].n === 0, 'working orders cancelled across hosts', 30_000);
    } finally {
      await db.end();
    }
  }, 150_000);
});
