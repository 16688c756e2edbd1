import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier } from '@hft/auth';
import type { ReferencePrices } from './reference-prices.js';
import type { KillSwitch } from './kill-switch.js';
import { LIMIT_KEYS, type RiskEngine } from './risk-engine.js';
import type { RiskPersistence } from './risk-persistence.js';

const target = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/);

const killSwitchBody = z
  .object({ engaged: z.boolean(), scope: z.enum(['global', 'strategy', 'symbol']), target: target.nullish(), reason: z.string().trim().min(1).max(500) })
  .strict()
  .refine((b) => (b.scope === 'global') === !b.target, { message: 'global needs no target; strategy and symbol scopes need one', path: ['target'] });

const limitValue = z.number().positive().nullable();
const limitsBody = z.union([
  z
    .object({
      scope: z.enum(['default', 'symbol', 'strategy']),
      target: target.nullish(),
      limits: z.partialRecord(z.enum(LIMIT_KEYS), limitValue).refine((l) => Object.keys(l).length > 0, { message: 'name at least one limit' }),
    })
    .strict()
    .refine((b) => (b.scope === 'default') === !b.target, { message: 'default limits take no target; symbol and strategy limits need one', path: ['target'] })
    .refine((b) => b.scope !== 'default' || Object.values(b.limits).every((v) => v !== null), { message: 'default limits cannot be removed, only changed', path: ['limits'] }),
  z.object({ restricted_symbols: z.array(z.string().regex(/^[A-Z0-9][A-Z0-9._-]{0,15}$/)) }).strict(),
]);

function badRequest(issues: z.core.$ZodIssue[]): { error: string; message: string } {
  return { error: 'HFT_BAD_REQUEST', message: issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
}

export interface ApiDeps {
  engine: RiskEngine;
  store: RiskPersistence;
  killSwitch: KillSwitch;
  refs: ReferencePrices;
  verifier: JwtVerifier;
  /** Risk has loaded its state (limits) from Redis. */
  loaded(): boolean;
  onLimitsChanged(scope: string, target: string | null, limits: Record<string, number | null>, actor: string): void;
}

/**
 * The risk officer's API. Writes need the `risk` or `ops` role; reads any known role. A change takes
 * effect in memory at once and is answered once it is persisted in Redis (503 when it cannot be: the
 * change still holds in this process).
 */
export function registerRiskApi(app: FastifyInstance, d: ApiDeps): void {
  const read = requirePermission(d.verifier, 'read');
  const unavailable = (reply: { code(n: number): { send(b: unknown): unknown } }, e: unknown) =>
    reply.code(503).send({ error: 'HFT_RISK_STATE_UNAVAILABLE', message: `risk state (Redis) unavailable: ${(e as Error).message}` });

  // PUT is ours; POST is the name users of the systems this replaces know: a documented alias.
  app.route({ method: ['PUT', 'POST'], url: '/api/risk/kill-switch', preHandler: requirePermission(d.verifier, 'kill-switch:write'), handler: async (req, reply) => {
    const b = killSwitchBody.safeParse(req.body);
    if (!b.success) return reply.code(400).send(badRequest(b.error.issues));
    if (!d.loaded()) return unavailable(reply, new Error('risk state not loaded yet'));
    try {
      const state = await d.killSwitch.change({ engaged: b.data.engaged, scope: b.data.scope, target: b.data.target ?? null, reason: b.data.reason, actor: req.principal!.sub });
      return { state };
    } catch (e) {
      return unavailable(reply, e);
    }
  } });

  app.get('/api/risk/status', { preHandler: read }, async () => {
    const positions = d.engine.positionRows();
    const pnlToday: Record<string, number> = {};
    for (const p of positions) pnlToday[p.strategy] = d.engine.pnlToday(p.strategy);
    const health = d.store.health();
    return {
      redis: { up: d.store.up, error: d.store.lastError || null },
      persistence: { ...d.store.lag(), ok: health.ok, ...(health.ok ? {} : { why: health.why }) },
      killSwitches: [...d.engine.killSwitches.values()],
      positions: positions.map((p) => {
        const mark = d.refs.get(p.symbol);
        return { ...p, mark, unrealized: mark ? p.qty * (mark - p.avgPx) : 0 };
      }),
      pnlToday,
      cursors: Object.fromEntries(d.engine.cursors),
    };
  });

  app.get('/api/risk/limits', { preHandler: read }, async () => ({
    default: d.engine.limits.default,
    symbols: Object.fromEntries(d.engine.limits.symbol),
    strategies: Object.fromEntries(d.engine.limits.strategy),
    restricted: [...d.engine.restricted].sort(),
  }));

  app.put('/api/risk/limits', { preHandler: requirePermission(d.verifier, 'limits:write') }, async (req, reply) => {
    const b = limitsBody.safeParse(req.body);
    if (!b.success) return reply.code(400).send(badRequest(b.error.issues));
    if (!d.loaded()) return unavailable(reply, new Error('limits not loaded yet'));
    const actor = req.principal!.sub;
    if ('restricted_symbols' in b.data) d.engine.setRestricted(b.data.restricted_symbols, actor);
    else {
      const { scope, target: t, limits } = b.data;
      d.engine.setLimits(scope, t ?? null, limits, actor);
      d.onLimitsChanged(scope, t ?? null, limits, actor);
    }
    try {
      await d.store.flushed();
    } catch (e) {
      return unavailable(reply, e);
    }
    return { default: d.engine.limits.default, symbols: Object.fromEntries(d.engine.limits.symbol), strategies: Object.fromEntries(d.engine.limits.strategy), restricted: [...d.engine.restricted].sort() };
  });

  app.get('/api/risk/audit', { preHandler: read }, async (req, reply) => {
    const count = Math.min(1000, Math.max(1, Number((req.query as { count?: string }).count ?? 100) || 100));
    try {
      return await d.store.auditTrail(count);
    } catch (e) {
      return unavailable(reply, e);
    }
  });
}
