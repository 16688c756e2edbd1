import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier } from '@hft/auth';
import type { InstrumentRegistry } from '@hft/config';
import { ConditionalRefuseCode, conditionalStatus, idString, symbol } from '@hft/messages';
import { gttToPlace, type GttIssue } from '@hft/triggers';
import type { ConditionalLedger } from './conditional-ledger.js';
import type { ConditionalService, Outcome } from './conditional-service.js';

const STATUS_OF: Record<ConditionalRefuseCode, number> = {
  unknown_instrument: 400,
  off_grid: 400,
  invalid_spec: 400,
  no_reference_price: 409,
  duplicate_conditional_id: 409,
  unknown_conditional_order: 404,
  not_modifiable: 409,
  kill_switch: 409,
  ledger_backlog_full: 503,
};

const gttId = z.string().regex(/^[A-Za-z0-9_.-]{1,48}$/, { message: 'GTT ids are 1-48 chars of A-Z a-z 0-9 _ . -' });
/** What the GTT body may carry besides the GTT itself. */
const envelopeOf = z.object({ strategy_id: idString.optional(), gtt_id: gttId.optional() }).passthrough();
const listQuery = z.object({ status: conditionalStatus.optional(), strategy: idString.optional(), symbol: symbol.optional(), limit: z.coerce.number().int().min(1).max(5000).default(100) }).strict();
const cancelQuery = z.object({ gtt_id: gttId.optional(), strategy_id: idString.optional() }).strict();

function issues(reply: FastifyReply, list: GttIssue[]): FastifyReply {
  return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: list.map((i) => `${i.path}: ${i.message}`).join('; '), issues: list });
}

function answer(reply: FastifyReply, out: Outcome, created = false): FastifyReply {
  if (out.ok) return reply.code(created ? 201 : 200).send({ gtt_id: out.view.conditionalId, status: out.view.status, conditional: out.view });
  return reply.code(STATUS_OF[out.code]).send({ error: 'HFT_CONDITIONAL_REFUSED', code: out.code, message: out.reason });
}

/**
 * GTT over REST, the source documents' API: place, modify, cancel (`orders:write`: ops, risk), get and
 * list (`read`). A GTT is a conditional order of the trigger engine (see conditional-service.ts); its
 * state changes stream on conditional.<STRATEGY> and monitoring's SSE /api/stream/orders.
 */
export function registerConditionalApi(app: FastifyInstance, d: { service: ConditionalService; ledger: ConditionalLedger; instruments: InstrumentRegistry; verifier: JwtVerifier; defaultStrategy: string }): void {
  const write = requirePermission(d.verifier, 'orders:write');
  const read = requirePermission(d.verifier, 'read');

  const parse = (body: unknown, id: string, strategyId: string) => gttToPlace(body, id, strategyId, (sym) => d.instruments.find(sym));

  app.post('/api/v1/gtt/place', { preHandler: write }, async (req, reply) => {
    const env = envelopeOf.safeParse(req.body ?? {});
    if (!env.success) return issues(reply, env.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
    const { strategy_id, gtt_id, ...gtt } = env.data;
    const id = gtt_id ?? `gtt-${randomUUID().slice(0, 18)}`;
    const strategyId = strategy_id ?? d.defaultStrategy;
    const p = parse(gtt, id, strategyId);
    if (!p.ok) return issues(reply, p.issues);
    return answer(reply, d.service.place(p.place), true);
  });

  app.put('/api/v1/gtt/modify', { preHandler: write }, async (req, reply) => {
    const env = envelopeOf.safeParse(req.body ?? {});
    if (!env.success) return issues(reply, env.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })));
    const { strategy_id, gtt_id, ...gtt } = env.data;
    if (!gtt_id) return issues(reply, [{ path: 'gtt_id', message: 'which GTT to modify' }]);
    const strategyId = strategy_id ?? d.defaultStrategy;
    const p = parse(gtt, gtt_id, strategyId);
    if (!p.ok) return issues(reply, p.issues);
    const held = d.service.book.get(gtt_id);
    if (held && (held.spec.symbol !== p.place.symbol || held.spec.side !== p.place.side)) return issues(reply, [{ path: held.spec.symbol !== p.place.symbol ? 'instrument' : 'transaction_type', message: `a GTT keeps its instrument and side (${held.spec.symbol} ${held.spec.side})` }]);
    // An Armed GTT's entry is done: only its legs change.
    const entryDone = held?.status === 'Armed';
    return answer(reply, d.service.modify({ strategyId, conditionalId: gtt_id, ...(entryDone ? {} : { quantity: p.place.quantity, entry: p.place.entry }), legs: p.place.legs }));
  });

  app.delete('/api/v1/gtt/cancel', { preHandler: write }, async (req, reply) => {
    const q = cancelQuery.safeParse({ ...(req.query as object), ...((req.body as object | undefined) ?? {}) });
    if (!q.success) return issues(reply, q.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message })));
    if (!q.data.gtt_id) return issues(reply, [{ path: 'gtt_id', message: 'which GTT to cancel (query ?gtt_id= or a JSON body)' }]);
    const actor = (req as { principal?: { sub: string } }).principal?.sub ?? 'unknown';
    return answer(reply, d.service.cancel({ strategyId: q.data.strategy_id ?? d.defaultStrategy, conditionalId: q.data.gtt_id, reason: `cancelled over REST by ${actor}` }));
  });

  app.get<{ Params: { id: string } }>('/api/v1/gtt/:id', { preHandler: read }, async (req, reply) => {
    const id = gttId.safeParse(req.params.id);
    if (!id.success) return issues(reply, [{ path: 'id', message: id.error.issues[0]!.message }]);
    try {
      const live = d.service.view(id.data);
      const row = live ? undefined : await d.ledger.get(id.data);
      if (!live && !row) return reply.code(404).send({ error: 'HFT_NOT_FOUND', code: ConditionalRefuseCode.UnknownConditionalOrder, message: `no GTT ${id.data}` });
      return { gtt_id: id.data, conditional: live ?? d.service.viewOf(row!.record), events: await d.ledger.events(id.data) };
    } catch (e) {
      return reply.code(503).send({ error: 'HFT_LEDGER_UNAVAILABLE', message: `conditional ledger (Postgres) unavailable: ${(e as Error).message}` });
    }
  });

  const list = async (req: { query: unknown }, reply: FastifyReply): Promise<unknown> => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) return issues(reply, q.error.issues.map((i) => ({ path: i.path.join('.') || '(query)', message: i.message })));
    const live = d.service.views(q.data);
    const seen = new Set(live.map((v) => v.conditionalId));
    try {
      const stored = (await d.ledger.list(q.data)).filter((r) => !seen.has(r.conditional_id)).map((r) => d.service.viewOf(r.record));
      return { gtts: [...live.reverse(), ...stored].slice(0, q.data.limit) };
    } catch {
      return { gtts: live.reverse().slice(0, q.data.limit), partial: 'the conditional ledger (Postgres) is unavailable: orders held in memory only' };
    }
  };
  app.get('/api/v1/gtt', { preHandler: read }, list);
  app.get('/api/v1/gtt/', { preHandler: read }, list);
}
