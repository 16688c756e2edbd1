import { Counter, Gauge, Histogram, collectDefaultMetrics, register, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration, type Registry } from 'prom-client';
import { ERR_METRIC_CONFLICT } from './errors.js';

// One registry per process (prom-client's global one): every lib registers into it and /metrics
// serves it. Metrics are fetched-or-created by name so libs can declare them where they are used.

let initialised = false;

/** Call once at daemon start: stamps `daemon` on every series and adds process/Node metrics. */
export function initMetrics(daemon: string): Registry {
  if (!initialised) {
    register.setDefaultLabels({ daemon });
    collectDefaultMetrics({ register });
    initialised = true;
  }
  return register;
}

export function metricsRegistry(): Registry {
  return register;
}

function existing<T>(name: string, kind: string, labelNames: readonly string[] | undefined): T | undefined {
  const m = register.getSingleMetric(name) as unknown as { labelNames?: readonly string[]; constructor: { name: string } } | undefined;
  if (!m) return undefined;
  if (m.constructor.name !== kind) throw ERR_METRIC_CONFLICT(name, `is a ${m.constructor.name}, wanted a ${kind}`);
  const want = [...(labelNames ?? [])].sort().join(',');
  const have = [...(m.labelNames ?? [])].sort().join(',');
  if (want !== have) throw ERR_METRIC_CONFLICT(name, `labels [${have}] vs [${want}]`);
  return m as unknown as T;
}

export function counter<L extends string>(cfg: CounterConfiguration<L>): Counter<L> {
  return existing<Counter<L>>(cfg.name, 'Counter', cfg.labelNames) ?? new Counter({ ...cfg, registers: [register] });
}

export function gauge<L extends string>(cfg: GaugeConfiguration<L>): Gauge<L> {
  return existing<Gauge<L>>(cfg.name, 'Gauge', cfg.labelNames) ?? new Gauge({ ...cfg, registers: [register] });
}

export function histogram<L extends string>(cfg: HistogramConfiguration<L>): Histogram<L> {
  return existing<Histogram<L>>(cfg.name, 'Histogram', cfg.labelNames) ?? new Histogram({ ...cfg, registers: [register] });
}

/** Latency buckets from 1 µs to ~1 s, doubling: the range that matters on a trading path. */
export const LATENCY_BUCKETS = Array.from({ length: 21 }, (_, i) => 1e-6 * 2 ** i);
