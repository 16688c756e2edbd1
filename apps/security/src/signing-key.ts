import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ERR_KEY_FILE } from './errors.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicJwk: Record<string, string>;
  kid: string;
}

/** Load the EC P-256 signing key; the kid is its RFC 7638 thumbprint. */
export function loadSigningKey(path: string): SigningKey {
  if (!existsSync(path)) throw ERR_KEY_FILE(path, 'not found');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(path));
  } catch (e) {
    throw ERR_KEY_FILE(path, `not a PEM private key (${(e as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw ERR_KEY_FILE(path, 'must be an EC P-256 key (ES256)');
  }
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
  const thumb = JSON.stringify({ crv: jwk['crv'], kty: jwk['kty'], x: jwk['x'], y: jwk['y'] });
  const kid = createHash('sha256').update(thumb).digest('base64url');
  return { privateKey, kid, publicJwk: { ...jwk, kid, use: 'sig', alg: 'ES256' } };
}

/** Create a new key pair file (owner-only) unless one exists. Returns true when it created one. */
export function generateSigningKey(path: string): boolean {
  if (existsSync(path)) return false;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(path, 0o600);
  return true;
}
