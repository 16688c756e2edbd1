// The security daemon and its operator commands, as real processes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { JwksKeys, JwtVerifier } from '@hft/auth';
import { platformEnv, startDaemon } from '@hft/testing';

const main = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'src', 'main.js');
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function rig() {
  const dir = mkdtempSync(join(tmpdir(), 'sec-'));
  const env = { HFT__SECURITY__PRIVATE_KEY_FILE: join(dir, 'key.pem'), HFT__SECURITY__USERS_FILE: join(dir, 'users.toml') };
  const run = (args: string[], input?: string, extra: Record<string, string> = {}) =>
    spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env: { ...process.env, ...env, ...extra }, ...(input !== undefined ? { input } : {}) });
  expect(run(['keygen']).status).toBe(0);
  expect(run(['add-user', '--name', 'rita', '--roles', 'risk,dev'], 'correct horse battery\n').status).toBe(0);
  expect(run(['add-user', '--name', 'svc-monitor', '--roles', 'system', '--service', '--password-env', 'SVC_PW'], undefined, { SVC_PW: 'a-long-service-secret' }).status).toBe(0);
  const p = await platformEnv(env);
  const d = startDaemon('security', [], p.env);
  closers.push(() => d.stop());
  await d.ready(p.http.security);
  const base = `http://127.0.0.1:${p.http.security}`;
  const login = (body: unknown) => fetch(`${base}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { dir, env, run, base, login };
}

describe('security daemon (real process)', () => {
  it('issues short-lived ES256 tokens that verify against its JWKS, with only the roles asked for', async () => {
    const r = await rig();
    const res = await r.login({ username: 'rita', password: 'correct horse battery', roles: ['risk'] });
    expect(res.status).toBe(200);
    const t = (await res.json()) as { access_token: string; token_type: string; expires_in: number; roles: string[] };
    expect(t).toMatchObject({ token_type: 'Bearer', expires_in: 900, roles: ['risk'] });
    const [header] = t.access_token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({ alg: 'ES256', typ: 'JWT' });
    const v = new JwtVerifier({ issuer: 'hft-security', audience: 'hft-platform', maxAgeSeconds: 3600, keys: new JwksKeys(`${r.base}/.well-known/jwks.json`) });
    const p = await v.verify(t.access_token);
    expect(p).toMatchObject({ sub: 'rita', roles: ['risk'] });
    const jwks = (await (await fetch(`${r.base}/.well-known/jwks.json`)).json()) as { keys: Record<string, string>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const me = await fetch(`${r.base}/api/whoami`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(await me.json()).toMatchObject({ sub: 'rita', roles: ['risk'] });
    const svc = await r.login({ username: 'svc-monitor', password: 'a-long-service-secret' });
    expect(((await svc.json()) as { roles: string[] }).roles).toEqual(['system']);
  });

  it('refuses wrong passwords and unknown users alike, roles not granted, and throttles guessing', async () => {
    const r = await rig();
    expect((await r.login({ username: 'rita', password: 'wrong' })).status).toBe(401);
    const unknown = await r.login({ username: 'nobody', password: 'x' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'HFT_BAD_CREDENTIALS', message: 'unknown user or wrong password' });
    const ops = await r.login({ username: 'rita', password: 'correct horse battery', roles: ['ops'] });
    expect(ops.status).toBe(403);
    expect(((await ops.json()) as { message: string }).message).toBe('rita does not have the role(s) ops');
    expect((await r.login({ username: 'rita', pass: 'x' })).status).toBe(400);
    for (let i = 0; i < 5; i++) await r.login({ username: 'rita', password: `guess${i}` });
    expect((await r.login({ username: 'rita', password: 'correct horse battery' })).status).toBe(429);
  });

  it('stores only scrypt hashes, owner-readable, and mints operator tokens from the key file', async () => {
    const r = await rig();
    const users = readFileSync(r.env.HFT__SECURITY__USERS_FILE, 'utf8');
    expect(users).not.toContain('correct horse battery');
    expect(users).toMatch(/password_hash = "scrypt\$32768\$8\$1\$/);
    expect(statSync(r.env.HFT__SECURITY__USERS_FILE).mode & 0o077).toBe(0);
    expect(statSync(r.env.HFT__SECURITY__PRIVATE_KEY_FILE).mode & 0o077).toBe(0);
    const minted = r.run(['token', '--role', 'risk', '--sub', 'olga']);
    expect(minted.status).toBe(0);
    const v = new JwtVerifier({ issuer: 'hft-security', audience: 'hft-platform', maxAgeSeconds: 3600, keys: new JwksKeys(`${r.base}/.well-known/jwks.json`) });
    expect(await v.verify(minted.stdout.trim())).toMatchObject({ sub: 'olga', roles: ['risk'] });
    expect(r.run(['token', '--role', 'admin']).stderr).toContain('unknown role(s) admin');
    expect(r.run(['add-user', '--name', 'x', '--roles', 'dev'], 'short\n').stderr).toContain('at least 12 characters');
  });

  it('will not start without a signing key: there is no built-in fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sec-'));
    const p = await platformEnv({ HFT__SECURITY__PRIVATE_KEY_FILE: join(dir, 'missing.pem'), HFT__SECURITY__USERS_FILE: join(dir, 'users.toml') });
    const d = startDaemon('security', [], p.env);
    expect(await d.exited).toBe(2);
    expect(d.stderr()).toContain(`HFT_SECURITY_KEY_FILE: signing key ${join(dir, 'missing.pem')}: not found`);
  });
});
