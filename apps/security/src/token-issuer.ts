import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '@hft/auth';
import type { SigningKey } from './signing-key.js';

export interface IssuerSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface IssuedToken {
  token: string;
  tokenType: 'Bearer';
  expiresIn: number;
  roles: Role[];
  jti: string;
}

/** Short-lived ES256 tokens: sub, roles, iss, aud, iat, exp, jti; the header names the key (kid). */
export function issueToken(key: SigningKey, s: IssuerSettings, sub: string, roles: Role[], ttlSeconds = s.ttlSeconds): IssuedToken {
  const jti = randomUUID();
  const token = jwt.sign({ roles }, key.privateKey, {
    algorithm: 'ES256',
    keyid: key.kid,
    issuer: s.issuer,
    audience: s.audience,
    subject: sub,
    jwtid: jti,
    expiresIn: Math.min(ttlSeconds, s.ttlSeconds),
  });
  return { token, tokenType: 'Bearer', expiresIn: Math.min(ttlSeconds, s.ttlSeconds), roles, jti };
}
