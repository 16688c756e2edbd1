import { describe, expect, it } from 'vitest';
import { priorDays, Scanner, type MinuteBar } from '../src/index.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 14, 30);
const utcDay = (_s: string, ms: number): number => Math.floor(ms / DAY) * DAY;
const bar = (symbol: string, startMs: number, open: number, close: number, volume: number): MinuteBar => ({ symbol, startMs, open, high: Math.max(open, close) + 0.1, low: Math.min(open, close) - 0.1, close, volume, turnover: ((open + close) / 2) * volume });
const settings = { everyMinutes: 5, lookbackDays: 2, windowMinutes: 2, top: 2, minScore: -10, weights: { breakout: 1, volumeSurge: 1, vwapDistance: 0, rangeExpansion: 0, momentum: 1 } };

describe('scanner', () => {
  it('schedules scans on the every-N-minutes grid of exchange time, catching up what a jump skipped', () => {
    const s = new Scanner(settings, utcDay);
    expect(s.due(T0 + 1000)).toEqual([]);
    expect(s.due(T0 + 5 * 60_000)).toEqual([T0 + 5 * 60_000]);
    expect(s.due(T0 + 5 * 60_000 + 10)).toEqual([]);
    expect(s.due(T0 + 16 * 60_000)).toEqual([T0 + 10 * 60_000, T0 + 15 * 60_000]);
  });

  it('folds earlier days into their high and usual window volume and range', () => {
    const bars = [bar('A', T0 - 2 * DAY, 10, 11, 100), bar('A', T0 - 2 * DAY + 60_000, 11, 12, 300), bar('A', T0 - DAY, 12, 11, 200), bar('A', T0 - 3 * DAY, 50, 50, 1)];
    const p = priorDays(bars, 2, 2, (ms) => Math.floor(ms / DAY) * DAY);
    expect(p.days).toBe(2);
    expect(p.high).toBeCloseTo(12.1);
    expect(p.windowVolume).toBe(300); // windows: [100+300], [200]
    expect(p.windowRange).toBeCloseTo((12.1 - 9.9 + (12.1 - 10.9)) / 2);
  });

  it('ranks by weighted cross-sectional z-scores and says why', () => {
    const s = new Scanner(settings, utcDay);
    s.setPrior('UP', { days: 2, high: 100, windowVolume: 100, windowRange: 1 });
    s.setPrior('FLAT', { days: 2, high: 120, windowVolume: 100, windowRange: 1 });
    s.setPrior('DOWN', { days: 2, high: 130, windowVolume: 100, windowRange: 1 });
    for (let m = 0; m < 4; m++) {
      s.onMinute(bar('UP', T0 + m * 60_000, 100 + m, 101 + m, m >= 2 ? 400 : 100));
      s.onMinute(bar('FLAT', T0 + m * 60_000, 110, 110, 100));
      s.onMinute(bar('DOWN', T0 + m * 60_000, 120 - m, 119 - m, 100));
    }
    const r = s.scan(T0 + 4 * 60_000, ['UP', 'FLAT', 'DOWN', 'NONE']);
    expect(r).toMatchObject({ ranked: 3, skipped: 1 });
    expect(r.all.map((x) => x.symbol)).toEqual(['UP', 'FLAT', 'DOWN']);
    expect(r.suggestions).toHaveLength(2);
    const up = r.all[0]!;
    expect(up.signals).toMatchObject({ breakout: 400, volumeSurge: 8, momentum: expect.closeTo(((104 - 102) / 102) * 1e4, 3) });
    expect(up.reasons).toEqual(expect.arrayContaining(['breakout', 'volumeSurge', 'momentum']));
    // The same minutes give the same ranking.
    expect(s.scan(T0 + 4 * 60_000, ['UP', 'FLAT', 'DOWN', 'NONE'])).toEqual(r);
  });
});
