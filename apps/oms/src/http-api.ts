import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier } from '@hft/auth';
import type { Ledger } from './ledger.js';

const time = z.union([z.iso.datetime({ offset: true }), z.string().regex(/^\d{10,13}$/)]).transform((s) => (/^\d+$/.test(s) ? new Date(s.length === 10 ? Number(s) * 1000 : Number(s)) : new Date(s)));
const query = z
  .object({
    symbol: z.string().regex(/^[A-Z0-9][A-Z0-9._-]{0,15}$/).optional(),
    strategy: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).optional(),
    status: z.enum(['PendingNew', 'New', 'PartiallyFilled', 'Filled', 'PendingCancel', 'Canceled', 'Rejected', 'Denied', 'Expired']).optional(),
    from: time.optional(),
    to: time.optional(),
    /** One order by its strategy's id for it (with `strategy`). */
    client_order_id: z.string().regex(/^[\x21-\x7e]{1,64}$/).optional(),
    /** Orders changed at or after this time (what a restarted risk daemon missed). */
    updated_from: time.optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(100),
  })
  .strict();

/** Ledger reads: `GET /api/orders` and `GET /api/trades` with filters; any known role may read. */
export function registerOmsApi(app: FastifyInstance, ledger: Ledger, verifier: JwtVerifier): void {
  const read = requirePermission(verifier, 'read');
  for (const [path, fn] of [
    ['/api/orders', (f: z.output<typeof query>) => ledger.queryOrders({ ...f, ...(f.updated_from ? { updatedFrom: f.updated_from } : {}), ...(f.client_order_id ? { clientOrderId: f.client_order_id } : {}) })],
    ['/api/trades', (f: z.output<typeof query>) => ledger.queryTrades(f)],
  ] as const) {
    app.get(path, { preHandler: read }, async (req, reply) => {
      const q = query.safeParse(req.query);
      if (!q.success) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      try {
        return await fn(q.data);
      } catch (e) {
        return reply.code(503).send({ error: 'HFT_LEDGER_UNAVAILABLE', message: `ledger (Postgres) unavailable: ${(e as Error).message}` });
      }
    });
  }
}
