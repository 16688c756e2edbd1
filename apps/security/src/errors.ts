import { defineError } from '@hft/errors';

export const ERR_KEY_FILE = defineError('HFT_SECURITY_KEY_FILE', (path: string, why: string) => ({
  message: `signing key ${path}: ${why} (create one with \`hft-security keygen --out ${path}\`)`,
  details: { path },
}));

export const ERR_USERS_FILE = defineError('HFT_SECURITY_USERS_FILE', (path: string, why: string) => ({
  message: `users file ${path}: ${why} (add users with \`hft-security add-user\`)`,
  details: { path },
}));

export const ERR_BAD_HASH = defineError('HFT_SECURITY_BAD_HASH', (user: string) => ({
  message: `user ${user}: password_hash is not a scrypt hash made by hft-security`,
  details: { user },
}));
