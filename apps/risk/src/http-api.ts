import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier } from '@hft/auth';
import type { ReferencePrices } from './reference-prices.js';
import type { KillSwitch } from './kill-switch.js';
import { LIMIT_KEYS, type RiskStore } from './risk-store.js';

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
  store: RiskStore;
  killSwitch: KillSwitch;
  refs: ReferencePrices;
  verifier: JwtVerifier;
  /** Resolves once the limits are seeded in Redis. */
  seeded: Promise<void>;
  onLimitsChanged(scope: string, target: string | null, limits: Record<string, number | null>, actor: string): void;
}

/** The risk officer's API. Writes need the `risk` or `ops` role; reads any known role. */
export function registerRiskApi(app: FastifyInstance, d: ApiDeps): void {
  const read = requirePermission(d.verifier, 'read');
  const unavailable = (reply: { code(n: number): { send(b: unknown): unknown } }, e: unknown) =>
    reply.code(503).send({ error: 'HFT_RISK_STATE_UNAVAILABLE', message: `risk state (Redis) unavailable: ${(e as Error).message}` });

  app.put('/api/risk/kill-switch', { preHandler: requirePermission(d.verifier, 'kill-switch:write') }, async (req, reply) => {
    const b = killSwitchBody.safeParse(req.body);
    if (!b.success) return reply.code(400).send(badRequest(b.error.issues));
    try {
      const state = await d.killSwitch.change({ engaged: b.data.engaged, scope: b.data.scope, target: b.data.target ?? null, reason: b.data.reason, actor: req.principal!.sub });
      return { state };
    } catch (e) {
      return unavailable(reply, e);
    }
  });

  app.get('/api/risk/status', { preHandler: read }, async (_req, reply) => {
    try {
      const positions = await d.store.positions();
      const strategies = [...new Set(positions.map((p) => p.strategy))];
      const pnlToday: Record<string, number> = {};
      for (const s of strategies) pnlToday[s] = await d.store.pnlToday(s);
      const marks: Record<string, number | null> = {};
      for (const p of positions) marks[p.symbol] = d.refs.get(p.symbol);
      return {
        redis: { up: d.store.up, error: d.store.lastError || null },
        killSwitches: await d.store.killSwitches(),
        positions: positions.map((p) => ({ ...p, mark: marks[p.symbol], unrealized: marks[p.symbol] ? p.qty * (marks[p.symbol]! - p.avgPx) : 0 })),
        pnlToday,
      };
    } catch (e) {
      return unavailable(reply, e);
    }
  });

  app.get('/api/risk/limits', { preHandler: read }, async (_req, reply) => {
    try {
      return await d.store.limits();
    } catch (e) {
      return unavailable(reply, e);
    }
  });

  app.put('/api/risk/limits', { preHandler: requirePermission(d.verifier, 'limits:write') }, async (req, reply) => {
    const b = limitsBody.safeParse(req.body);
    if (!b.success) return reply.code(400).send(badRequest(b.error.issues));
    const actor = req.principal!.sub;
    try {
      await Promise.race([d.seeded, new Promise((_r, reject) => setTimeout(() => reject(new Error('limits not loaded yet')), 2000))]);
      if ('restricted_symbols' in b.data) {
        await d.store.setRestricted(b.data.restricted_symbols);
        await d.store.audit('restricted', { symbols: b.data.restricted_symbols.join(','), actor, ts: new Date().toISOString() });
      } else {
        const { scope, target: t, limits } = b.data;
        await d.store.setLimits(scope, t ?? null, limits);
        await d.store.audit('limits', { scope, target: t ?? '', limits: JSON.stringify(limits), actor, ts: new Date().toISOString() });
        d.onLimitsChanged(scope, t ?? null, limits, actor);
      }
      return await d.store.limits();
    } catch (e) {
      return unavailable(reply, e);
    }
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
