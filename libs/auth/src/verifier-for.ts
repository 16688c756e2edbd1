import { JwksKeys, StaticKey } from './key-source.js';
import { JwtVerifier } from './jwt-verifier.js';

export interface SecuritySettings {
  issuer: string;
  audience: string;
  max_token_age_s: number;
  clock_tolerance_s?: number | undefined;
  jwks_url: string;
  public_key_file?: string | undefined;
}

/** Token verification as configured ([security]): a fixed public key file, or the security daemon's JWKS. */
export function verifierFor(s: SecuritySettings): JwtVerifier {
  return new JwtVerifier({
    issuer: s.issuer,
    audience: s.audience,
    maxAgeSeconds: s.max_token_age_s,
    clockToleranceSeconds: s.clock_tolerance_s ?? 1,
    keys: s.public_key_file ? StaticKey.fromFile(s.public_key_file) : new JwksKeys(s.jwks_url),
  });
}
