import jwt, { type JwtHeader, type JwtPayload } from 'jsonwebtoken';
import { ERR_AUTH_INVALID } from './errors.js';
import type { KeySource } from './key-source.js';
import { ROLES, type Role } from './roles.js';

/** Asymmetric algorithms only: a verifier never holds a secret that could also sign. */
export const ALLOWED_ALGORITHMS = ['RS256', 'ES256'] as const;

export interface VerifierOptions {
  issuer: string;
  audience: string;
  /** Refuse tokens issued longer ago than this, even if `exp` is further out. */
  maxAgeSeconds: number;
  keys: KeySource;
  /** Clock skew tolerated on exp/nbf/iat (default 1 s), capped at the token's own lifetime (exp - iat). */
  clockToleranceSeconds?: number;
}

export interface Principal {
  sub: string;
  roles: Role[];
  jti: string;
  exp: number;
}

/** Verifies bearer tokens for every protected route: signature, algorithm, iss, aud, exp, age, jti, roles. */
export class JwtVerifier {
  constructor(readonly opts: VerifierOptions) {}

  async verify(token: string): Promise<Principal> {
    let header: JwtHeader;
    let claimed: JwtPayload;
    try {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded === 'string' || typeof decoded.payload === 'string') throw new Error('not a JWT');
      header = decoded.header;
      claimed = decoded.payload;
    } catch (e) {
      throw ERR_AUTH_INVALID(`malformed token (${(e as Error).message})`);
    }
    // Checked before any key lookup: "none" and HMAC tokens are refused outright.
    if (!(ALLOWED_ALGORITHMS as readonly string[]).includes(header.alg)) throw ERR_AUTH_INVALID(`algorithm ${header.alg} is not allowed (${ALLOWED_ALGORITHMS.join(', ')})`);
    let key;
    try {
      key = await this.opts.keys.key(header.kid);
    } catch (e) {
      throw ERR_AUTH_INVALID((e as Error).message);
    }
    // A 1 s token must not live 5 s: the skew allowed never exceeds the lifetime the issuer gave it.
    const lifetime = typeof claimed.exp === 'number' && typeof claimed.iat === 'number' ? Math.max(0, claimed.exp - claimed.iat) : 0;
    const tolerance = Math.min(this.opts.clockToleranceSeconds ?? 1, lifetime);
    let payload: JwtPayload;
    try {
      payload = jwt.verify(token, key, {
        algorithms: [...ALLOWED_ALGORITHMS],
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        maxAge: `${this.opts.maxAgeSeconds}s`,
        clockTolerance: tolerance,
        complete: false,
      }) as JwtPayload;
    } catch (e) {
      throw ERR_AUTH_INVALID((e as Error).message);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw ERR_AUTH_INVALID('no subject');
    if (typeof payload.jti !== 'string' || payload.jti === '') throw ERR_AUTH_INVALID('no jti');
    if (typeof payload.exp !== 'number') throw ERR_AUTH_INVALID('no expiry');
    const roles = Array.isArray(payload['roles']) ? (payload['roles'] as unknown[]).filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [];
    return { sub: payload.sub, roles, jti: payload.jti, exp: payload.exp };
  }
}
