import { describe, expect, it } from 'vitest';
import { VolDivergenceSignal } from '@hft/messages';
import { VolDivergence } from '../src/index.js';

const s = (n: number): bigint => BigInt(n) * 1_000_000_000n;

describe('VIX divergence', () => {
  it('compares the IV-index spread with its own mean over the window, after a window of data', () => {
    const d = new VolDivergence('VIX', 2, 10_000);
    expect(d.evaluate(0.25, s(0)).signal).toBe(VolDivergenceSignal.NoData);
    d.onIndex(17);
    // A constant 8-point gap is no signal: a stock's vol is not the index's.
    for (let t = 0; t < 10; t++) expect(d.evaluate(0.25, s(t)).signal).toBe(VolDivergenceSignal.WarmingUp);
    const calm = d.evaluate(0.25, s(10));
    expect(calm).toMatchObject({ index: 'VIX', level: 17, signal: VolDivergenceSignal.None, thresholdPoints: 2 });
    expect(calm.atmIvPoints).toBeCloseTo(25, 12);
    expect(calm.spread).toBeCloseTo(8, 12);
    expect(calm.divergence).toBeCloseTo(0, 12);
    // The index jumps 3 points while implied vol stays: options are cheap to the index.
    d.onIndex(20);
    const jump = d.evaluate(0.25, s(11));
    expect(jump.signal).toBe(VolDivergenceSignal.IvCheap);
    expect(jump.divergence).toBeCloseTo(-3, 12);
    // Implied vol catching up by as much brings it back; rising further makes them rich.
    expect(d.evaluate(0.28, s(12)).signal).toBe(VolDivergenceSignal.None);
    d.onIndex(17);
    expect(d.evaluate(0.3, s(13))).toMatchObject({ signal: VolDivergenceSignal.IvRich });
    // Samples older than the window drop out of the baseline.
    for (let t = 14; t < 40; t++) d.evaluate(0.3, s(t));
    expect(d.evaluate(0.3, s(40)).divergence).toBeCloseTo(0, 9);
  });
});
