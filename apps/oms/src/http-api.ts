import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier } from '@hft/auth';
import { idString, orderStatus, symbol } from '@hft/messages';
import type { Ledger } from './ledger.js';
import type { OmsService } from './oms-service.js';

const time = z.union([z.iso.datetime({ offset: true }), z.string().regex(/^\d{10,13}$/)]).transform((s) => (/^\d+$/.test(s) ? new Date(s.length === 10 ? Number(s) * 1000 : Number(s)) : new Date(s)));
const ledgerQuery = z
  .object({
    symbol: symbol.optional(),
    strategy: idString.optional(),
    status: orderStatus.optional(),
    from: time.optional(),
    to: time.optional(),
    /** One order by its strategy's id for it (with `strategy`). */
    client_order_id: idString.optional(),
    side: z.enum(['buy', 'sell']).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(100),
  })
  .strict();
const eventsQuery = z
  .object({
    strategy: idString,
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .strict();
const stateQuery = z.object({ strategy: idString.optional() }).strict();

function bad(reply: FastifyReply, e: z.ZodError): FastifyReply {
  return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: e.issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`).join('; ') });
}

/**
 * The OMS's reads, any known role: the ledger (`/api/orders`, `/api/trades`), the order-event stream by
 * sequence (`/api/order-events`, what a consumer that missed events reads back) and every strategy's
 * positions and open orders at its stream head (`/api/order-state`, where a consumer starts).
 */
export function registerOmsApi(app: FastifyInstance, ledger: Ledger, oms: OmsService, verifier: JwtVerifier): void {
  const read = requirePermission(verifier, 'read');
  for (const [path, fn] of [
    ['/api/orders', (f: z.output<typeof ledgerQuery>) => ledger.queryOrders({ ...f, ...(f.client_order_id ? { clientOrderId: f.client_order_id } : {}) })],
    ['/api/trades', (f: z.output<typeof ledgerQuery>) => ledger.queryTrades(f)],
    // The versioned name outside clients use (the same rows and filters).
    ['/api/v1/trades', (f: z.output<typeof ledgerQuery>) => ledger.queryTrades(f)],
  ] as const) {
    app.get(path, { preHandler: read }, async (req, reply) => {
      const q = ledgerQuery.safeParse(req.query);
      if (!q.success) return bad(reply, q.error);
      try {
        return await fn(q.data);
      } catch (e) {
        return reply.code(503).send({ error: 'HFT_LEDGER_UNAVAILABLE', message: `ledger (Postgres) unavailable: ${(e as Error).message}` });
      }
    });
  }
  app.get('/api/order-events', { preHandler: read }, async (req, reply) => {
    const q = eventsQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error);
    try {
      return await oms.events(q.data.strategy, q.data.after, q.data.limit);
    } catch (e) {
      return reply.code(503).send({ error: 'HFT_LEDGER_UNAVAILABLE', message: `events before the newest ones are in Postgres, which is unavailable: ${(e as Error).message}` });
    }
  });
  app.get('/api/order-state', { preHandler: read }, async (req, reply) => {
    const q = stateQuery.safeParse(req.query);
    if (!q.success) return bad(reply, q.error);
    return { strategies: oms.state(q.data.strategy) };
  });
}
