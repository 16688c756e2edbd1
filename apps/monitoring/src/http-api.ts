import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { requirePermission, type JwtVerifier, type ServiceToken } from '@hft/auth';
import { runBacktest } from '@hft/backtest';
import { gttToPlace, type PlaceFields } from '@hft/triggers';
import { isCalendarDate, TICK_FORMATS, workspaceRoot, type InstrumentRegistry, type PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import { CandleStore, CandleTickStream } from '@hft/market-store';
import { runReport, runReportOf, SweepStore, sweepReport } from '@hft/sweeps';
import type { ReplayInstruments } from '@hft/replay';
import type pg from 'pg';
import type { LatencyView, RateMeter } from './latency-view.js';
import type { WaterfallView } from './waterfall-view.js';
import type { MarketView } from './market-view.js';
import type { OptionsView } from './options-view.js';
import type { PortfolioView } from './portfolio-view.js';
import type { SseHub } from './sse-hub.js';

/** Reports of REST backtests kept in memory. */
const RUN_REPORTS = 20;

export interface MonitoringDeps {
  cfg: PlatformConfig;
  registry: InstrumentRegistry;
  verifier: JwtVerifier;
  market: MarketView;
  options: OptionsView;
  portfolio: PortfolioView;
  latency: LatencyView;
  waterfall: WaterfallView;
  rates: { ticks: RateMeter; orders: RateMeter; fills: RateMeter };
  sse: SseHub;
  service: ServiceToken | null;
  log: Logger;
  dashboardDir: string;
  /** The market store's pool (candle backtests), opened on first use. */
  store: () => pg.Pool;
}

const symbolList = z.string().regex(/^[A-Z0-9][A-Z0-9._,-]*$/).optional();
const instant = z.union([z.iso.datetime({ offset: true }), z.string().regex(/^\d{10,19}$/)]);
const backtestBody = z
  .object({
    files: z.array(z.union([z.string().min(1), z.object({ path: z.string().min(1), format: z.enum(TICK_FORMATS).default('auto'), symbol: z.string().optional() }).strict()])).min(1).max(10).optional(),
    /** Replay these symbols' stored 1-minute candles (the candle store) over [from, to), instead of (or with) files. */
    candles: z.object({ symbols: z.array(z.string().regex(/^[A-Z0-9][A-Z0-9._-]{0,15}$/)).min(1).max(50), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict().optional(),
    from: instant.optional(),
    to: instant.optional(),
    /** Strategy ids from [strategy.params], or id -> parameters. Default: [strategy].enabled. */
    strategies: z.union([z.array(z.string()).min(1), z.record(z.string(), z.record(z.string(), z.unknown()))]).optional(),
    max_fills: z.number().int().min(0).max(100_000).default(1000),
    /** GTT requests (as POST /api/v1/gtt/place takes them, plus `after`: placed before the first tick past it) the trigger engine holds from the start. */
    gtts: z.array(z.object({ gtt_id: z.string().optional(), strategy_id: z.string().optional(), after: instant.optional() }).passthrough()).max(100).optional(),
  })
  .strict();

const backtestQuery = z
  .object({
    files: z.string().min(1).optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    strategies: z.string().min(1).optional(),
    max_fills: z.coerce.number().optional(),
  })
  .strict();

function toInstant(s: string | undefined): { sec: number; nsec: number } | undefined {
  if (!s) return undefined;
  if (/^\d+$/.test(s)) {
    const ns = BigInt(s.padEnd(19, '0').slice(0, 19));
    return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
  }
  const ms = Date.parse(s);
  return { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1e6 };
}

/** Dashboard, REST, SSE and backtests. Reads are open when `public_reads`; writes always need roles. */
export function registerMonitoringApi(app: FastifyInstance, d: MonitoringDeps): void {
  const m = d.cfg.monitoring;
  const open: preHandlerHookHandler = async () => {};
  const read = m.public_reads ? open : requirePermission(d.verifier, 'read');
  const readStream = m.public_reads ? open : requirePermission(d.verifier, 'read', { queryToken: true });
  const dataDir = join(workspaceRoot(), 'data');

  // Static dashboard: a page and two files, no build step.
  const files: Record<string, [string, string]> = {
    '/dashboard': ['index.html', 'text/html; charset=utf-8'],
    '/dashboard/app.js': ['app.js', 'text/javascript; charset=utf-8'],
    '/dashboard/style.css': ['style.css', 'text/css; charset=utf-8'],
  };
  for (const [route, [file, type]] of Object.entries(files)) {
    const body = readFileSync(join(d.dashboardDir, file));
    app.get(route, async (_req, reply) => reply.header('content-type', type).header('cache-control', 'no-cache').send(body));
  }
  app.get('/', async (_req, reply) => reply.redirect('/dashboard'));

  app.get('/api/positions', { preHandler: read }, async () => d.portfolio.view((s) => d.market.mid(s)));

  app.get('/api/market', { preHandler: read }, async (req) => {
    const q = z.object({ symbols: symbolList }).safeParse(req.query);
    const wanted = q.success && q.data.symbols ? q.data.symbols.split(',') : d.market.symbols();
    return wanted.map((s) => d.market.snapshot(s));
  });

  // Versioned market and options reads (/api/v1): what outside clients and notebooks build on.
  const notFound = (reply: FastifyReply, message: string): FastifyReply => reply.code(404).send({ error: 'HFT_NOT_FOUND', message });
  const badRequest = (reply: FastifyReply, message: string): FastifyReply => reply.code(400).send({ error: 'HFT_BAD_REQUEST', message });
  const unknownInstrument = (symbol: string): string => `unknown instrument ${JSON.stringify(symbol.slice(0, 40))}: not in [[instruments]] or [[option_chains]]`;

  app.get<{ Params: { symbol: string } }>('/api/v1/market/greeks/:symbol', { preHandler: read }, async (req, reply) => {
    const { symbol } = req.params;
    const inst = d.registry.find(symbol);
    if (!inst) return notFound(reply, unknownInstrument(symbol));
    if (!inst.option) return badRequest(reply, `${symbol} is not an option contract (greeks are for options; see /api/v1/options/chain/${symbol} for its chain)`);
    return d.options.greeks(symbol) ?? notFound(reply, `no chain snapshot of ${inst.option.underlying} has arrived yet (market-data publishes one per second of replayed data)`);
  });

  app.get<{ Params: { underlying: string }; Querystring: { expiry?: string } }>('/api/v1/options/chain/:underlying', { preHandler: read }, async (req, reply) => {
    const { underlying } = req.params;
    const expiry = req.query.expiry;
    if (!d.registry.find(underlying)) return notFound(reply, unknownInstrument(underlying));
    const listed = d.options.expiries(underlying);
    if (listed.length === 0) return notFound(reply, `${underlying} has no listed options ([[option_chains]] in config/platform.toml)`);
    if (expiry !== undefined && !isCalendarDate(expiry)) return badRequest(reply, `expiry ${JSON.stringify(expiry.slice(0, 40))} is not a date YYYY-MM-DD`);
    if (expiry !== undefined && !listed.includes(expiry)) return notFound(reply, `${underlying} has no ${expiry} expiry (listed: ${listed.join(', ')})`);
    return d.options.chain(underlying, expiry) ?? notFound(reply, `no chain snapshot of ${underlying} has arrived yet (market-data publishes one per second of replayed data)`);
  });

  app.get('/api/metrics/data', { preHandler: read }, async () => ({
    ticksPerSec: d.rates.ticks.rate(),
    ordersPerSec: d.rates.orders.rate(),
    fillsPerSec: d.rates.fills.rate(),
    ticks: d.market.ticks,
    tickToTrade: d.latency.percentiles(),
    waterfall: d.waterfall.stages(),
    counts: d.portfolio.counts,
    symbols: d.market.symbols(),
  }));

  app.get('/api/events', { preHandler: read }, async () => ({ orders: d.portfolio.events.slice(-200), fills: d.portfolio.fills.slice(-200) }));

  // Proxies to the daemons that own the state; the caller's token goes along.
  const proxy = async (req: FastifyRequest, reply: FastifyReply, base: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE'): Promise<unknown> => {
    const caller = req.headers.authorization;
    const auth = caller ?? (d.service?.current ? `Bearer ${d.service.current}` : undefined);
    const url = `${base}${req.url}`;
    try {
      const res = await fetch(url, {
        method,
        headers: { ...(auth ? { authorization: auth } : {}), ...(req.body !== undefined && method !== 'GET' ? { 'content-type': 'application/json' } : {}) },
        ...(req.body !== undefined && method !== 'GET' ? { body: JSON.stringify(req.body) } : {}),
        signal: AbortSignal.timeout(5000),
      });
      reply.code(res.status).header('content-type', res.headers.get('content-type') ?? 'application/json');
      return reply.send(await res.text());
    } catch (e) {
      return reply.code(502).send({ error: 'HFT_UPSTREAM_UNAVAILABLE', message: `${base} did not answer: ${(e as Error).message}` });
    }
  };
  app.get('/api/risk/status', { preHandler: read }, (req, reply) => proxy(req, reply, m.risk_url, 'GET'));
  app.get('/api/risk/limits', { preHandler: read }, (req, reply) => proxy(req, reply, m.risk_url, 'GET'));
  // POST: a documented alias of PUT (the name users of the systems this replaces know).
  app.route({ method: ['PUT', 'POST'], url: '/api/risk/kill-switch', preHandler: requirePermission(d.verifier, 'kill-switch:write'), handler: (req, reply) => proxy(req, reply, m.risk_url, req.method as 'PUT' | 'POST') });
  app.get('/api/orders', { preHandler: read }, (req, reply) => proxy(req, reply, m.oms_url, 'GET'));
  // GTT and conditional orders live in the OMS's trigger engine; writes need orders:write there too.
  const orders = requirePermission(d.verifier, 'orders:write');
  app.post('/api/v1/gtt/place', { preHandler: orders }, (req, reply) => proxy(req, reply, m.oms_url, 'POST'));
  app.put('/api/v1/gtt/modify', { preHandler: orders }, (req, reply) => proxy(req, reply, m.oms_url, 'PUT'));
  app.delete('/api/v1/gtt/cancel', { preHandler: orders }, (req, reply) => proxy(req, reply, m.oms_url, 'DELETE'));
  app.get('/api/v1/gtt', { preHandler: read }, (req, reply) => proxy(req, reply, m.oms_url, 'GET'));
  app.get('/api/v1/gtt/', { preHandler: read }, (req, reply) => proxy(req, reply, m.oms_url, 'GET'));
  app.get('/api/v1/gtt/:id', { preHandler: read }, (req, reply) => proxy(req, reply, m.oms_url, 'GET'));
  app.get('/api/trades', { preHandler: read }, (req, reply) => proxy(req, reply, m.oms_url, 'GET'));
  app.get('/api/v1/trades', { preHandler: read }, (req, reply) => proxy(req, reply, m.oms_url, 'GET'));
  // Instrument search, candle history and the scanner live in market-services; so does the full quote
  // (day figures, previous close). Without that daemon the quote has the live fields monitoring sees.
  if (d.cfg.market_services.enabled) {
    for (const route of ['/api/v1/instruments/search', '/api/v1/instruments/:symbol', '/api/v1/market/candles/:symbol', '/api/v1/scanner/suggestions', '/api/v1/market/quote/:symbol']) {
      app.get(route, { preHandler: read }, (req, reply) => proxy(req, reply, m.market_services_url, 'GET'));
    }
  } else {
    app.get<{ Params: { symbol: string } }>('/api/v1/market/quote/:symbol', { preHandler: read }, async (req, reply) => {
      const { symbol } = req.params;
      if (!d.registry.find(symbol)) return notFound(reply, unknownInstrument(symbol));
      const q = d.market.quote(symbol);
      const g = d.options.greeks(symbol);
      return { ...q, ...(g && { openInterest: g.openInterest, iv: g.iv }) };
    });
  }

  // Backtest sweeps (hft backtest --sweep, hft worker): progress, results and the HTML report, from Postgres.
  const sweeps = (): SweepStore => new SweepStore(d.store());
  const sweepsDown = (reply: FastifyReply, e: unknown): FastifyReply => reply.code(503).send({ error: 'HFT_STORE_UNAVAILABLE', message: `sweep results (Postgres) unavailable: ${(e as Error).message}` });
  // Postgres's undefined_table: no sweep has ever run against this database.
  const noSweeps = (e: unknown): boolean => (e as { code?: string }).code === '42P01';
  app.get('/api/v1/sweeps', { preHandler: read }, async (_req, reply) => {
    try {
      return await sweeps().list();
    } catch (e) {
      return noSweeps(e) ? [] : sweepsDown(reply, e);
    }
  });
  app.get<{ Params: { id: string } }>('/api/v1/sweeps/:id', { preHandler: read }, async (req, reply) => {
    try {
      const p = await sweeps().progress(req.params.id);
      if (!p) return notFound(reply, `no sweep ${JSON.stringify(req.params.id.slice(0, 80))} (GET /api/v1/sweeps lists them)`);
      return { sweepId: req.params.id, ...p, runs: await sweeps().runs(req.params.id) };
    } catch (e) {
      return noSweeps(e) ? notFound(reply, 'no sweep has run on this database yet') : sweepsDown(reply, e);
    }
  });
  app.get<{ Params: { id: string } }>('/api/v1/sweeps/:id/report', { preHandler: read }, async (req, reply) => {
    try {
      const r = await sweeps().report(req.params.id);
      if (!r) return notFound(reply, `no sweep ${JSON.stringify(req.params.id.slice(0, 80))} (GET /api/v1/sweeps lists them)`);
      return reply.header('content-type', 'text/html; charset=utf-8').send(sweepReport(r.sweep, r.runs));
    } catch (e) {
      return noSweeps(e) ? notFound(reply, 'no sweep has run on this database yet') : sweepsDown(reply, e);
    }
  });

  app.get<{ Params: { id: string; job: string } }>('/api/v1/sweeps/:id/runs/:job/report', { preHandler: read }, async (req, reply) => {
    try {
      const r = await sweeps().runReport(req.params.id, req.params.job);
      if (!r) return notFound(reply, `sweep ${JSON.stringify(req.params.id.slice(0, 80))} has no run ${JSON.stringify(req.params.job.slice(0, 200))} (GET /api/v1/sweeps/<id> lists its runs)`);
      return reply.header('content-type', 'text/html; charset=utf-8').send(runReport(r));
    } catch (e) {
      return noSweeps(e) ? notFound(reply, 'no sweep has run on this database yet') : sweepsDown(reply, e);
    }
  });

  for (const stream of ['ticks', 'candles', 'greeks', 'orders', 'dashboard'] as const) {
    app.get(`/api/stream/${stream}`, { preHandler: readStream }, async (req, reply) => d.sse.open(stream, req, reply));
  }

  const runReports = new Map<string, string>();
  let reportSeq = 0;
  app.get<{ Params: { id: string } }>('/api/v1/backtests/:id/report', { preHandler: read }, async (req, reply) => {
    const html = runReports.get(req.params.id);
    if (!html) return notFound(reply, `no backtest report ${JSON.stringify(req.params.id.slice(0, 80))} here (monitoring keeps the latest ${RUN_REPORTS}; each POST /api/backtest answer names its own)`);
    return reply.header('content-type', 'text/html; charset=utf-8').send(html);
  });
  const backtest = async (body: unknown, reply: FastifyReply): Promise<unknown> => {
    const b = backtestBody.safeParse(body);
    if (!b.success) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: b.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    const candles = b.data.candles;
    if (candles && Date.parse(candles.from) >= Date.parse(candles.to)) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: 'candles: from must be before to' });
    const unknown = candles?.symbols.find((sym) => !d.registry.find(sym));
    if (unknown) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: `candles.symbols: unknown instrument ${unknown}` });
    const specs = (b.data.files ?? (candles ? [] : d.cfg.market_data.files)).map((f) => (typeof f === 'string' ? { path: f, format: 'auto' as const } : { ...f, format: f.format ?? ('auto' as const) }));
    const files = [];
    for (const f of specs) {
      // Only files under data/ (or the configured files): a request cannot read anything else.
      const p = isAbsolute(f.path) ? f.path : resolve(workspaceRoot(), f.path);
      const inside = relative(dataDir, p);
      if (inside.startsWith('..') || isAbsolute(inside)) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: `files: ${f.path} is outside data/` });
      files.push({ ...f, path: p });
    }
    const ids = b.data.strategies ?? d.cfg.strategy.enabled;
    const strategies: Record<string, Record<string, unknown>> = {};
    if (Array.isArray(ids)) {
      for (const id of ids) {
        const params = d.cfg.strategy.params[id];
        if (!params) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: `strategies: no [strategy.params.${id}] in the config` });
        strategies[id] = params;
      }
    } else Object.assign(strategies, ids);
    const conditional: { after?: { sec: number; nsec: number }; order: PlaceFields }[] = [];
    for (const [i, g] of (b.data.gtts ?? []).entries()) {
      const { gtt_id, strategy_id, after, ...gtt } = g;
      const p = gttToPlace(gtt, gtt_id ?? `bt-gtt-${i + 1}`, strategy_id ?? d.cfg.oms.gtt_strategy, (sym) => d.registry.find(sym));
      if (!p.ok) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: p.issues.map((x) => `gtts.${i}.${x.path}: ${x.message}`).join('; ') });
      const at = toInstant(after);
      conditional.push({ ...(at ? { after: at } : {}), order: p.place });
    }
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), m.backtest_max_seconds * 1000);
    try {
      const from = toInstant(b.data.from);
      const to = toInstant(b.data.to);
      const result = await runBacktest(
        {
          files,
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          strategies,
          baseDir: workspaceRoot(),
          fees: (s) => d.cfg.execution.fees[s] ?? d.cfg.execution.fees['default']!,
          bookDepth: d.cfg.market_data.book_depth,
          options: d.cfg.options,
          maxFills: b.data.max_fills,
          signal: ac.signal,
          conditional,
          ...(candles ? { sources: (inst: ReplayInstruments) => [new CandleTickStream(new CandleStore(d.store()), inst, candles.symbols, Date.parse(candles.from), Date.parse(candles.to))] } : {}),
        },
        d.registry,
        d.log.child({ module: 'backtest' }),
      );
      // The run's report stays here (the latest RUN_REPORTS of them) for the dashboard to open.
      const id = `bt-${Date.now().toString(36)}-${(++reportSeq).toString(36)}`;
      runReports.set(id, runReport(runReportOf(result, files.map((f) => relative(workspaceRoot(), f.path)))));
      for (const k of runReports.keys()) if (runReports.size > RUN_REPORTS) runReports.delete(k);
      return { ...result, report: `/api/v1/backtests/${id}/report` };
    } catch (e) {
      const err = e as Error & { code?: string };
      return reply.code(400).send({ error: err.code ?? 'HFT_BACKTEST_FAILED', message: err.message });
    } finally {
      clearTimeout(timer);
    }
  };
  const runs = requirePermission(d.verifier, 'backtest:run');
  app.post('/api/backtest', { preHandler: runs }, async (req, reply) => backtest(req.body ?? {}, reply));
  // GET with query parameters: a documented alias (comma-separated lists), what notebooks and curl users reach for.
  app.get('/api/backtest', { preHandler: runs }, async (req, reply) => {
    const q = backtestQuery.safeParse(req.query ?? {});
    if (!q.success) return reply.code(400).send({ error: 'HFT_BAD_REQUEST', message: q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ') });
    const { files, strategies, max_fills, ...rest } = q.data;
    return backtest({ ...rest, ...(files ? { files: files.split(',') } : {}), ...(strategies ? { strategies: strategies.split(',') } : {}), ...(max_fills !== undefined ? { max_fills } : {}) }, reply);
  });
}
