import { metricsRegistry } from '@hft/metrics';

/** Current value of a counter/gauge series, 0 when absent. */
export async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const m = metricsRegistry().getSingleMetric(name);
  if (!m) return 0;
  const data = await m.get();
  const hit = data.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return hit?.value ?? 0;
}

export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
