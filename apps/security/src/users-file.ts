import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse, stringify } from 'smol-toml';
import { z } from 'zod';
import { ROLES } from '@hft/auth';
import { ERR_USERS_FILE } from './errors.js';
import { isPasswordHash } from './password-hash.js';

const user = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
    kind: z.enum(['user', 'service']).default('user'),
    roles: z.array(z.enum(ROLES)).min(1),
    password_hash: z.string().refine(isPasswordHash, { message: 'not a scrypt hash (passwords are never stored in clear)' }),
  })
  .strict();
const file = z.object({ users: z.array(user).default([]) }).strict();

export type User = z.output<typeof user>;

/** Load and validate the users file; every problem names the user and the field. */
export function loadUsers(path: string): Map<string, User> {
  if (!existsSync(path)) throw ERR_USERS_FILE(path, 'not found');
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw ERR_USERS_FILE(path, (e as Error).message.split('\n')[0] ?? 'not TOML');
  }
  const r = file.safeParse(raw);
  if (!r.success) throw ERR_USERS_FILE(path, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const out = new Map<string, User>();
  for (const u of r.data.users) {
    if (out.has(u.name)) throw ERR_USERS_FILE(path, `user ${u.name} appears twice`);
    out.set(u.name, u);
  }
  return out;
}

/** Add or replace a user, writing the file atomically with owner-only permissions. */
export function saveUser(path: string, u: User): void {
  const users = existsSync(path) ? loadUsers(path) : new Map<string, User>();
  users.set(u.name, u);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `# Users of the security daemon. Passwords are scrypt hashes; edit with hft-security add-user.\n${stringify({ users: [...users.values()] })}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  chmodSync(path, 0o600);
}
