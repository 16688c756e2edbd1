import { defineError } from '@hft/errors';

export const ERR_AUTH_MISSING = defineError('HFT_AUTH_MISSING', () => ({ message: 'no bearer token: send Authorization: Bearer <jwt> (get one from the security daemon, POST /token)' }));

export const ERR_AUTH_INVALID = defineError('HFT_AUTH_INVALID', (why: string) => ({
  message: `token refused: ${why}`,
  details: { why },
}));

export const ERR_AUTH_FORBIDDEN = defineError('HFT_AUTH_FORBIDDEN', (sub: string, roles: readonly string[], permission: string, needed: readonly string[]) => ({
  message: `${sub} (roles: ${roles.join(', ') || 'none'}) may not ${permission}: needs one of ${needed.join(', ')}`,
  details: { sub, roles, permission },
}));

export const ERR_AUTH_KEYS = defineError('HFT_AUTH_KEYS', (source: string, why: string) => ({
  message: `cannot load verification keys from ${source}: ${why}`,
  details: { source },
}));

export const ERR_AUTH_UNKNOWN_KID = defineError('HFT_AUTH_UNKNOWN_KID', (kid: string | undefined, source: string, known: readonly string[]) => ({
  message: `unknown signing key: the token's kid ${JSON.stringify(kid ?? null)} is not among the keys published at ${source} (${known.length ? known.map((k) => JSON.stringify(k)).join(', ') : 'none'})`,
  details: { kid: kid ?? null, source },
}));
