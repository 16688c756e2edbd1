import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import { afterAll, describe, expect, it } from 'vitest';
import { JwksKeys, JwtVerifier, requirePermission, StaticKey } from '../src/index.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const base = { issuer: 'hft-security', audience: 'hft-platform', maxAgeSeconds: 3600 };
const verifier = new JwtVerifier({ ...base, keys: new StaticKey(pem) });

function token(over: { roles?: string[]; key?: typeof rsa.privateKey; alg?: 'RS256' | 'ES256'; aud?: string; iss?: string; exp?: number; iat?: number; kid?: string; sub?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign(
    { sub: over.sub ?? 'alice', roles: over.roles ?? ['risk'], jti: randomUUID(), iat: over.iat ?? now, exp: over.exp ?? now + 900, aud: over.aud ?? 'hft-platform', iss: over.iss ?? 'hft-security' },
    over.key ?? rsa.privateKey,
    { algorithm: over.alg ?? 'RS256', ...(over.kid ? { keyid: over.kid } : {}) },
  );
}

const refusal = async (t: string): Promise<string> => verifier.verify(t).then(() => 'accepted', (e: Error) => e.message);

describe('JwtVerifier', () => {
  it('accepts a good token and returns the principal', async () => {
    const p = await verifier.verify(token({ roles: ['risk', 'bogus'] }));
    expect(p).toMatchObject({ sub: 'alice', roles: ['risk'] });
    expect(p.jti).toMatch(/[0-9a-f-]{36}/);
  });

  it('refuses a tampered signature, alg none, HMAC, wrong audience or issuer, expired, too old, and another key', async () => {
    const good = token();
    const [h, p, s] = good.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, roles: ['ops'] })).toString('base64url')}.${s}`;
    expect(await refusal(tampered)).toMatch(/invalid signature/);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${p}.`;
    expect(await refusal(none)).toMatch(/algorithm none is not allowed/);
    const hmac = jwt.sign({ sub: 'x', jti: 'j', aud: 'hft-platform', iss: 'hft-security' }, pem, { algorithm: 'HS256', expiresIn: 60 });
    expect(await refusal(hmac)).toMatch(/algorithm HS256 is not allowed/);
    expect(await refusal(token({ aud: 'someone-else' }))).toMatch(/audience invalid/);
    expect(await refusal(token({ iss: 'mallory' }))).toMatch(/issuer invalid/);
    expect(await refusal(token({ exp: Math.floor(Date.now() / 1000) - 60 }))).toMatch(/jwt expired/);
    expect(await refusal(token({ iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) + 600 }))).toMatch(/maxAge exceeded/);
    expect(await refusal(token({ key: other.privateKey }))).toMatch(/invalid signature/);
    expect(await refusal('not.a.jwt')).toMatch(/malformed token/);
  });

  it('allows a clock skew of clock_tolerance_s (default 1 s) past exp, never more than the token lifetime', async () => {
    const now = Math.floor(Date.now() / 1000);
    // Just past expiry: refused by default (1 s), accepted where 5 s of skew is configured.
    const justExpired = token({ iat: now - 900, exp: now - 3 });
    expect(await refusal(justExpired)).toMatch(/jwt expired/);
    const lenient = new JwtVerifier({ ...base, keys: new StaticKey(pem), clockToleranceSeconds: 5 });
    expect((await lenient.verify(justExpired)).sub).toBe('alice');
    // A token minted with a 1 s lifetime, 3 s after expiry: the 5 s leeway shrinks to its 1 s lifetime.
    await expect(lenient.verify(token({ iat: now - 4, exp: now - 3 }))).rejects.toThrow(/jwt expired/);
  });

  it('verifies ES256 and RS256 tokens against a JWKS, by kid, refetching once for a rotated key', async () => {
    let keys = [{ ...(rsa.publicKey.export({ format: 'jwk' }) as object), kid: 'k1', use: 'sig', alg: 'RS256' }];
    let fetches = 0;
    const server: Server = createServer((_req, res) => {
      fetches++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/.well-known/jwks.json`;
    try {
      const v = new JwtVerifier({ ...base, keys: new JwksKeys(url, 0) });
      expect((await v.verify(token({ kid: 'k1' }))).sub).toBe('alice');
      keys = [...keys, { ...(ec.publicKey.export({ format: 'jwk' }) as object), kid: 'k2', use: 'sig', alg: 'ES256' }];
      expect((await v.verify(token({ kid: 'k2', key: ec.privateKey, alg: 'ES256' }))).sub).toBe('alice');
      expect(fetches).toBe(2);
      await expect(v.verify(token({ kid: 'k9' }))).rejects.toThrow(/unknown signing key: the token's kid "k9" is not among the keys published at http.* \("k1", "k2"\)/);
    } finally {
      server.close();
    }
  });
});

describe('requirePermission', () => {
  const app = Fastify();
  app.put('/kill', { preHandler: requirePermission(verifier, 'kill-switch:write') }, async (req) => ({ actor: req.principal?.sub }));
  afterAll(() => app.close());

  it('answers 401 without or with a bad token, 403 for a role without the permission, and passes the actor on', async () => {
    expect((await app.inject({ method: 'PUT', url: '/kill' })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'PUT', url: '/kill', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ error: 'HFT_AUTH_INVALID' });
    const dev = await app.inject({ method: 'PUT', url: '/kill', headers: { authorization: `Bearer ${token({ roles: ['dev'], sub: 'bob' })}` } });
    expect(dev.statusCode).toBe(403);
    expect(dev.json().message).toBe('bob (roles: dev) may not kill-switch:write: needs one of ops, risk');
    const ok = await app.inject({ method: 'PUT', url: '/kill', headers: { authorization: `Bearer ${token({ roles: ['ops'], sub: 'carol' })}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ actor: 'carol' });
  });
});
