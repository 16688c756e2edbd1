import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PERMISSIONS, requirePermission, ROLES, type JwtVerifier, type Role } from '@hft/auth';
import { counter } from '@hft/metrics';
import { LoginThrottle } from './login-throttle.js';
import { verifyPassword } from './password-hash.js';
import type { SigningKey } from './signing-key.js';
import { issueToken, type IssuerSettings } from './token-issuer.js';
import type { User } from './users-file.js';

const body = z
  .object({
    username: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
    /** Ask for fewer roles than the user has (least privilege); default all of them. */
    roles: z.array(z.enum(ROLES)).min(1).optional(),
    ttl_s: z.number().int().positive().optional(),
  })
  .strict();

export interface SecurityApiDeps {
  key: SigningKey;
  issuer: IssuerSettings;
  users: () => Map<string, User>;
  verifier: JwtVerifier;
  maxFailedLogins: number;
}

/** POST /token, GET /.well-known/jwks.json, GET /api/whoami, GET /api/permissions. */
export function registerSecurityApi(app: FastifyInstance, d: SecurityApiDeps): void {
  const issued = counter({ name: 'hft_security_tokens_issued_total', help: 'Tokens issued, by role set', labelNames: ['roles'] });
  const refused = counter({ name: 'hft_security_logins_refused_total', help: 'Login attempts refused, by reason', labelNames: ['reason'] });
  const throttle = new LoginThrottle(d.maxFailedLogins);

  app.post('/token', async (req, reply) => {
    const b = body.safeParse(req.body);
    if (!b.success) {
      refused.inc({ reason: 'bad_request' });
      return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: b.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    }
    const { username, password } = b.data;
    if (throttle.blocked(username)) {
      refused.inc({ reason: 'throttled' });
      return reply.code(429).send({ error: 'HFT_LOGIN_THROTTLED', message: `too many failed logins for ${username}; wait a minute` });
    }
    const u = d.users().get(username);
    // Same work whether the user exists or not: no user enumeration by timing.
    const ok = await verifyPassword(password, u?.password_hash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    if (!u || !ok) {
      throttle.failed(username);
      refused.inc({ reason: 'bad_credentials' });
      return reply.code(401).send({ error: 'HFT_BAD_CREDENTIALS', message: 'unknown user or wrong password' });
    }
    throttle.succeeded(username);
    const roles: Role[] = b.data.roles ?? u.roles;
    const extra = roles.filter((r) => !u.roles.includes(r));
    if (extra.length) {
      refused.inc({ reason: 'role_not_granted' });
      return reply.code(403).send({ error: 'HFT_ROLE_NOT_GRANTED', message: `${username} does not have the role(s) ${extra.join(', ')}` });
    }
    const t = issueToken(d.key, d.issuer, username, roles, b.data.ttl_s);
    issued.inc({ roles: [...roles].sort().join(',') });
    req.log.info({ sub: username, roles, jti: t.jti }, 'token issued');
    return { access_token: t.token, token_type: t.tokenType, expires_in: t.expiresIn, roles: t.roles };
  });

  app.get('/.well-known/jwks.json', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: [d.key.publicJwk] };
  });

  app.get('/api/whoami', { preHandler: requirePermission(d.verifier, 'read') }, async (req) => req.principal);

  app.get('/api/permissions', async () => PERMISSIONS);
}
