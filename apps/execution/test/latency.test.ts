import { describe, expect, it } from 'vitest';
import { DelayQueue } from '../src/delay-queue.js';
import { LatencyModel } from '../src/latency-model.js';

describe('latency model', () => {
  it('samples inside the configured range for every model', () => {
    for (const kind of ['fixed', 'uniform', 'lognormal'] as const) {
      const m = new LatencyModel(kind, 50, 500);
      const xs = Array.from({ length: 10_000 }, () => m.sampleUs());
      expect(Math.min(...xs)).toBeGreaterThanOrEqual(50);
      expect(Math.max(...xs)).toBeLessThanOrEqual(500);
      if (kind === 'fixed') expect(new Set(xs).size).toBe(1);
      else expect(new Set(xs.map((x) => Math.round(x / 50))).size).toBeGreaterThan(5);
    }
    expect(() => new LatencyModel('uniform', 10, 5)).toThrow(/invalid/);
  });

  it('runs each task no earlier than its delay, in order, with the observed delays in range', async () => {
    const q = new DelayQueue();
    const model = new LatencyModel('uniform', 200, 2000);
    const observed: number[] = [];
    const order: number[] = [];
    await new Promise<void>((resolve) => {
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        const d = model.sampleUs();
        q.push(d, () => {
          observed.push((performance.now() - t0) * 1000 - d);
          order.push(i);
          if (order.length === 200) resolve();
        });
      }
    });
    expect(order).toEqual(order.map((_, i) => i));
    // Never early; late only by scheduling (and by waiting behind an earlier, longer delay).
    expect(Math.min(...observed)).toBeGreaterThanOrEqual(-1);
  });
});
