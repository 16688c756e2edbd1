import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { HftError } from '@hft/errors';
import { counter } from '@hft/metrics';
import { ERR_AUTH_FORBIDDEN, ERR_AUTH_MISSING } from './errors.js';
import type { JwtVerifier, Principal } from './jwt-verifier.js';
import { allowed, PERMISSIONS, type Permission } from './roles.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const refusals = () =>
  counter({ name: 'hft_auth_refusals_total', help: 'Requests refused by authentication (401) or authorisation (403), by permission', labelNames: ['permission', 'status'] });

/**
 * preHandler for a protected route: 401 without a valid token, 403 when the token's roles do not
 * grant `permission`. The verified principal is left on `request.principal` (for audit: the actor).
 */
export function requirePermission(verifier: JwtVerifier, permission: Permission, opts: { queryToken?: boolean } = {}): preHandlerHookHandler {
  const refused = refusals();
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const auth = req.headers.authorization;
    const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
    // EventSource cannot send headers: streams may take the token as ?access_token= instead.
    const fromQuery = opts.queryToken ? (req.query as { access_token?: unknown } | undefined)?.access_token : undefined;
    const token = m?.[1] ?? (typeof fromQuery === 'string' && fromQuery ? fromQuery : undefined);
    try {
      if (!token) throw ERR_AUTH_MISSING();
      const p = await verifier.verify(token);
      if (!allowed(p.roles, permission)) {
        refused.inc({ permission, status: '403' });
        const e = ERR_AUTH_FORBIDDEN(p.sub, p.roles, permission, PERMISSIONS[permission]);
        return reply.code(403).send({ error: e.code, message: e.message });
      }
      req.principal = p;
    } catch (e) {
      refused.inc({ permission, status: '401' });
      const err = e instanceof HftError ? e : ERR_AUTH_MISSING();
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: err.code, message: err.message });
    }
  };
}
