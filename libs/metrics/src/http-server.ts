import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { HftError } from '@hft/errors';
import { ERR_HTTP_LISTEN } from './errors.js';
import { parseJsonBody } from './json-body.js';
import type { HealthRegistry } from './health.js';
import { counter, metricsRegistry } from './registry.js';

export interface ObservabilityOptions {
  health: HealthRegistry;
}

const httpRefusals = (): ReturnType<typeof counter<'route' | 'status'>> =>
  counter({ name: 'hft_http_refusals_total', help: 'HTTP requests answered with a 4xx status, by route and status', labelNames: ['route', 'status'] });

/**
 * The plugin every daemon mounts: GET /metrics (Prometheus text format) and GET /health (JSON,
 * 503 when a component is down). Also counts every 4xx refusal by route.
 */
export const observabilityPlugin: FastifyPluginAsync<ObservabilityOptions> = async (app, opts) => {
  const refusals = httpRefusals();
  // Present from the start (at 0) so dashboards and rate() work before the first refusal.
  refusals.inc({ route: 'unmatched', status: '404' }, 0);
  app.get('/metrics', async (_req, reply) => {
    const reg = metricsRegistry();
    reply.header('content-type', reg.contentType);
    return reg.metrics();
  });
  app.get('/health', async (_req, reply) => {
    const report = opts.health.report();
    reply.code(report.status === 'down' ? 503 : 200);
    return report;
  });
  app.addHook('onResponse', async (req, reply) => {
    if (reply.statusCode >= 400 && reply.statusCode < 500) {
      refusals.inc({ route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
    }
  });
};
// Let the hooks apply to routes the daemon adds after registering the plugin.
(observabilityPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export interface HttpServerOptions {
  daemon: string;
  logger: Logger;
  health: HealthRegistry;
}

/** A fastify instance with the observability plugin; add routes, then call `listenHttp`. */
export async function createHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  // Per-request logs would flood the daemon logs (Prometheus scrapes every few seconds); errors still log.
  const app = Fastify({
    loggerInstance: opts.logger.child({ module: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  });
  await app.register(observabilityPlugin, { health: opts.health });
  // Strict JSON everywhere: bad UTF-8, runaway nesting and broken JSON get a 400 that says why.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (e) {
      done(Object.assign(e as HftError, { statusCode: 400 }), undefined);
    }
  });
  // Every refusal in one shape, { error: CODE, message }, whether a route or fastify itself refused.
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err, url: req.url }, 'request failed');
    const code = err instanceof HftError ? err.code : status < 500 ? (err.code ?? 'HFT_BAD_REQUEST') : 'HFT_INTERNAL';
    return reply.code(status).send({ error: code, message: err.message });
  });
  return app;
}

export async function listenHttp(app: FastifyInstance, port: number, host = '127.0.0.1'): Promise<string> {
  try {
    return await app.listen({ port, host });
  } catch (e) {
    throw ERR_HTTP_LISTEN(host, port, (e as Error).message);
  }
}
