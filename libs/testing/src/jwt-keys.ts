import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';

export interface TestSigner {
  /** PEM file of the public key, for HFT__SECURITY__PUBLIC_KEY_FILE. */
  publicKeyFile: string;
  privateKey: KeyObject;
  /** A token as the security daemon would issue it. */
  token(sub: string, roles: string[], opts?: { issuer?: string; audience?: string; ttlS?: number }): string;
}

/** A signing key pair for tests of protected routes (the daemons only ever see the public half). */
export function testSigner(issuer = 'hft-security', audience = 'hft-platform'): TestSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dir = mkdtempSync(join(tmpdir(), 'jwt-'));
  const publicKeyFile = join(dir, 'public.pem');
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return {
    publicKeyFile,
    privateKey,
    token: (sub, roles, o = {}) =>
      jwt.sign({ sub, roles, jti: randomUUID() }, privateKey, { algorithm: 'ES256', issuer: o.issuer ?? issuer, audience: o.audience ?? audience, expiresIn: o.ttlS ?? 300 }),
  };
}
