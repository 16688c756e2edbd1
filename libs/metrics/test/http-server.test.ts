import { describe, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { PassThrough } from 'node:stream';
import { counter, createHttpServer, gauge, HealthRegistry, histogram, initMetrics, LATENCY_BUCKETS } from '../src/index.js';

const logger = createLogger({ daemon: 'test', destination: new PassThrough() });

describe('observability plugin', () => {
  initMetrics('testd');

  it('serves Prometheus text with the daemon label and default process metrics', async () => {
    const health = new HealthRegistry('testd');
    const app = await createHttpServer({ daemon: 'testd', logger, health });
    counter({ name: 'hft_test_things_total', help: 'things', labelNames: ['kind'] }).inc({ kind: 'a' }, 3);
    histogram({ name: 'hft_test_latency_seconds', help: 'lat', buckets: LATENCY_BUCKETS }).observe(3e-6);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('hft_test_things_total{kind="a",daemon="testd"} 3');
    expect(res.body).toContain('hft_test_latency_seconds_bucket{le="0.000004",daemon="testd"} 1');
    expect(res.body).toContain('process_cpu_seconds_total');
    await app.close();
  });

  it('reports health as the worst component and answers 503 when one is down', async () => {
    const health = new HealthRegistry('testd');
    const setRedis = health.component('redis');
    health.register('zmq', () => ({ status: 'ok' }));
    const app = await createHttpServer({ daemon: 'testd', logger, health });
    let res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', daemon: 'testd', components: { redis: { status: 'ok' } } });
    setRedis({ status: 'down', detail: 'ECONNREFUSED 127.0.0.1:6379' });
    res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'down', components: { redis: { status: 'down', detail: 'ECONNREFUSED 127.0.0.1:6379' } } });
    await app.close();
  });

  it('counts 4xx refusals by route', async () => {
    const app = await createHttpServer({ daemon: 'testd', logger, health: new HealthRegistry('testd') });
    app.get('/api/secret', async (_req, reply) => reply.code(403).send({ error: 'forbidden' }));
    await app.inject({ method: 'GET', url: '/api/secret' });
    await app.inject({ method: 'GET', url: '/nope' });
    const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toContain('hft_http_refusals_total{route="/api/secret",status="403",daemon="testd"} 1');
    expect(body).toMatch(/hft_http_refusals_total\{route="unmatched",status="404",daemon="testd"\} 1/);
    await app.close();
  });

  it('returns the same metric for the same definition and refuses a conflicting one', () => {
    const a = gauge({ name: 'hft_test_depth', help: 'd', labelNames: ['q'] });
    expect(gauge({ name: 'hft_test_depth', help: 'd', labelNames: ['q'] })).toBe(a);
    expect(() => counter({ name: 'hft_test_depth', help: 'd', labelNames: ['q'] })).toThrow(/already registered differently: is a Gauge/);
    expect(() => gauge({ name: 'hft_test_depth', help: 'd', labelNames: ['z'] })).toThrow(/labels \[q\] vs \[z\]/);
  });

  it('refuses bad JSON bodies with 400 and the reason: deep nesting, invalid UTF-8, broken JSON, empty; counts them', async () => {
    const health = new HealthRegistry('testd');
    const app = await createHttpServer({ daemon: 'testd', logger, health });
    let seen: unknown = null;
    app.put('/echo', async (req) => {
      seen = req.body;
      return { ok: true };
    });
    const put = (payload: string | Buffer) => app.inject({ method: 'PUT', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
    const deep = put(`{"reason":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect((await deep).statusCode).toBe(400);
    expect((await deep).json()).toEqual({ error: 'HFT_HTTP_BAD_BODY', message: 'request body refused: JSON nested deeper than 32 levels (at byte 41)' });
    const latin1 = await put(Buffer.concat([Buffer.from('{"reason":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json()).toEqual({ error: 'HFT_HTTP_BAD_BODY', message: 'request body refused: not valid UTF-8 (at byte 14)' });
    const broken = await put('{"reason": ');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().message).toMatch(/^request body refused: not valid JSON: /);
    expect((await put('')).json().message).toBe('request body refused: empty body with content-type application/json');
    expect(seen).toBeNull();
    // Good bodies, including UTF-8 text and nesting up to the limit, pass unchanged.
    expect((await put(JSON.stringify({ reason: 'café ✓', n: JSON.parse(`${'['.repeat(31)}1${']'.repeat(31)}`) }))).statusCode).toBe(200);
    expect(seen).toMatchObject({ reason: 'café ✓' });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('hft_http_refusals_total{route="/echo",status="400",daemon="testd"} 4');
    await app.close();
  });
});
