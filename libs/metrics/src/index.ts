export { initMetrics, metricsRegistry, counter, gauge, histogram, LATENCY_BUCKETS } from './registry.js';
export { HealthRegistry, type HealthStatus, type ComponentHealth, type HealthReport } from './health.js';
export { observabilityPlugin, createHttpServer, listenHttp, type HttpServerOptions, type ObservabilityOptions } from './http-server.js';
export * from './errors.js';
export { parseJsonBody, MAX_JSON_DEPTH } from './json-body.js';
export { parsePromText, scrape, total, byLabel, type Sample } from './prom-text.js';
