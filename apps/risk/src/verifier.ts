import { JwksKeys, JwtVerifier, StaticKey } from '@hft/auth';
import type { PlatformConfig } from '@hft/config';

/** Token verification as configured: a fixed public key file, or the security daemon's JWKS. */
export function verifierFor(cfg: PlatformConfig): JwtVerifier {
  const s = cfg.security;
  return new JwtVerifier({
    issuer: s.issuer,
    audience: s.audience,
    maxAgeSeconds: s.max_token_age_s,
    keys: s.public_key_file ? StaticKey.fromFile(s.public_key_file) : new JwksKeys(s.jwks_url),
  });
}
