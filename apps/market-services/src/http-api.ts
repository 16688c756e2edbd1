import type { FastifyInstance, FastifyReply, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier } from '@hft/auth';
import { INSTRUMENT_KINDS, type PlatformConfig } from '@hft/config';
import { errorMessage } from '@hft/errors';
import { CANDLE_INTERVALS } from '@hft/market-store';
import type { InstrumentCatalog } from './instrument-catalog.js';
import type { MarketMetrics } from './market-metrics.js';
import { parseWhen, type MarketReads } from './market-reads.js';
import type { ScannerService } from './scanner-service.js';

const searchQuery = z
  .object({
    query: z.string().trim().min(1, { message: 'say what to look for (a symbol, part of one, or words of the name)' }).max(64),
    limit: z.coerce.number().int().min(1).max(500).optional(),
    kind: z.enum(INSTRUMENT_KINDS).optional(),
    venue: z.string().max(32).optional(),
  })
  .strict();
const candleQuery = z
  .object({ interval: z.enum(CANDLE_INTERVALS).default('1m'), from: z.string().max(40).optional(), to: z.string().max(40).optional(), limit: z.coerce.number().int().min(1).optional() })
  .strict();
const suggestionsQuery = z.object({ all: z.enum(['true', 'false']).optional() }).strict();

export interface MarketApiDeps {
  cfg: PlatformConfig;
  verifier: JwtVerifier;
  catalog: InstrumentCatalog;
  reads: MarketReads;
  scanner: ScannerService;
  m: MarketMetrics;
}

/** Instrument search, quotes, candle history and the scanner's suggestions (/api/v1). */
export function registerMarketApi(app: FastifyInstance, d: MarketApiDeps): void {
  const ms = d.cfg.market_services;
  const open: preHandlerHookHandler = async () => {};
  const read = ms.public_reads ? open : requirePermission(d.verifier, 'read');
  // Each refusal: its status and stable error code, and the reason label it is counted under.
  const REFUSALS = { bad_request: [400, 'HFT_BAD_REQUEST'], not_found: [404, 'HFT_NOT_FOUND'], unavailable: [503, 'HFT_STORE_UNAVAILABLE'] } as const;
  const refuse = (reply: FastifyReply, route: string, reason: keyof typeof REFUSALS, message: string): FastifyReply => {
    d.m.requestsRefused.inc({ route, reason });
    const [status, error] = REFUSALS[reason];
    return reply.code(status).send({ error, message });
  };
  const issues = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
  const unknown = (symbol: string): string => `unknown instrument ${JSON.stringify(symbol.slice(0, 40))}: not in the instrument master (GET /api/v1/instruments/search?query=${encodeURIComponent(symbol.slice(0, 16))} finds near names)`;

  app.get('/api/v1/instruments/search', { preHandler: read }, async (req, reply) => {
    const q = searchQuery.safeParse(req.query);
    if (!q.success) return refuse(reply, 'search', 'bad_request', issues(q.error));
    const end = d.m.searchSeconds.startTimer();
    const results = d.catalog.search.search(q.data.query, q.data.limit ?? ms.search_limit, { ...(q.data.kind && { kind: q.data.kind }), ...(q.data.venue && { venue: q.data.venue }) });
    end();
    return { query: q.data.query, instruments: d.catalog.search.size, results };
  });

  app.get<{ Params: { symbol: string } }>('/api/v1/instruments/:symbol', { preHandler: read }, async (req, reply) => {
    const row = d.catalog.row(req.params.symbol);
    return row ?? refuse(reply, 'instrument', 'not_found', unknown(req.params.symbol));
  });

  app.get<{ Params: { symbol: string } }>('/api/v1/market/quote/:symbol', { preHandler: read }, async (req, reply) => {
    const { symbol } = req.params;
    if (!d.catalog.row(symbol) || !d.catalog.instrument(symbol)) return refuse(reply, 'quote', 'not_found', unknown(symbol));
    try {
      return await d.reads.quote(symbol);
    } catch (e) {
      return refuse(reply, 'quote', 'unavailable', `the candle store (Postgres) did not answer: ${errorMessage(e)}`);
    }
  });

  app.get<{ Params: { symbol: string } }>('/api/v1/market/candles/:symbol', { preHandler: read }, async (req, reply) => {
    const { symbol } = req.params;
    if (!d.catalog.row(symbol) || !d.catalog.instrument(symbol)) return refuse(reply, 'candles', 'not_found', unknown(symbol));
    const q = candleQuery.safeParse(req.query);
    if (!q.success) return refuse(reply, 'candles', 'bad_request', issues(q.error));
    const zone = d.catalog.timezone(symbol);
    const when = (k: 'from' | 'to'): number | null | undefined => (q.data[k] === undefined ? null : (parseWhen(q.data[k]!, zone) ?? undefined));
    const from = when('from');
    const to = when('to');
    for (const [k, v] of [['from', from], ['to', to]] as const) {
      if (v === undefined) return refuse(reply, 'candles', 'bad_request', `${k}: ${JSON.stringify(q.data[k])} is not ISO 8601 with a zone (2026-03-02T14:30:00Z), a date (2026-03-02, midnight ${zone}) or epoch ms / ns`);
    }
    if (typeof from === 'number' && typeof to === 'number' && from >= to) return refuse(reply, 'candles', 'bad_request', 'from must be before to');
    const limit = Math.min(q.data.limit ?? ms.max_candles, ms.max_candles);
    try {
      const r = await d.reads.candles(symbol, q.data.interval, from ?? null, to ?? null, limit);
      return { symbol, interval: q.data.interval, timezone: zone, ...r };
    } catch (e) {
      return refuse(reply, 'candles', 'unavailable', `the candle store (Postgres) did not answer: ${errorMessage(e)}`);
    }
  });

  app.get('/api/v1/scanner/suggestions', { preHandler: read }, async (req, reply) => {
    const q = suggestionsQuery.safeParse(req.query);
    if (!q.success) return refuse(reply, 'suggestions', 'bad_request', issues(q.error));
    const latest = d.scanner.latest;
    if (!latest) return { asOf: null, everyMinutes: ms.scanner.every_minutes, suggestions: [], ...(q.data.all === 'true' ? { all: [] } : {}), note: 'no scan yet: the first comes when exchange time reaches the next multiple of every_minutes' };
    const { all, ...msg } = latest;
    return { ...msg, tsEvent: msg.tsEvent.toString(), tsInit: msg.tsInit.toString(), ...(q.data.all === 'true' ? { all } : {}) };
  });
}
