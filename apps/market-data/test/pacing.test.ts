import { describe, expect, it } from 'vitest';
import { replay, tmpFile } from './harness.js';

const T0 = 1772461800_000_000_000n;

describe('pacing', () => {
  it('replays at the requested speed: arrival gaps follow the data gaps divided by the speed', async () => {
    // 3 s of data: a tick every 100 ms, then a 1 s gap, then more ticks.
    const rows = ['ts,symbol,type,side,price,qty'];
    const times: number[] = [];
    for (let i = 0; i <= 20; i++) times.push(i * 100);
    for (let i = 0; i <= 10; i++) times.push(3000 + i * 100);
    for (const ms of times) rows.push(`${T0 + BigInt(ms) * 1_000_000n},AAPL,trade,buy,187.40,${ms + 1}`);
    const file = tmpFile('paced.csv', rows.join('\n'));
    const got = await replay({ files: [{ path: file, format: 'auto' }], speed: 10, maxBatch: 1 });
    expect(got.ticks).toHaveLength(times.length);
    const wall = got.tickArrivalMs.at(-1)! - got.tickArrivalMs[0]!;
    const achieved = 4000 / wall;
    // Measured, with tolerance: the ratio of data time to wall time, not an absolute duration.
    expect(achieved).toBeGreaterThan(8.5);
    expect(achieved).toBeLessThan(11.5);
    const gapIndex = times.indexOf(3000);
    const gap = got.tickArrivalMs[gapIndex]! - got.tickArrivalMs[gapIndex - 1]!;
    const step = (got.tickArrivalMs[gapIndex - 1]! - got.tickArrivalMs[0]!) / (gapIndex - 1);
    // The 1 s data gap is ten 100 ms steps.
    expect(gap / step).toBeGreaterThan(7);
    expect(gap / step).toBeLessThan(13);
    expect(got.summary.lagP50Seconds).not.toBeNull();
  });

  it('loops with increasing timestamps and continuing sequence numbers until stopped', async () => {
    const rows = ['ts,symbol,type,side,price,qty'];
    for (let i = 0; i < 5; i++) rows.push(`${T0 + BigInt(i * 10) * 1_000_000n},AAPL,trade,buy,187.40,${i + 1}`);
    const file = tmpFile('loop.csv', rows.join('\n'));
    const got = await replay({ files: [{ path: file, format: 'auto' }], speed: 10, loop: true }, undefined, 300);
    expect(got.summary.loops).toBeGreaterThanOrEqual(2);
    expect(got.ticks.map((t) => t.seq)).toEqual(got.ticks.map((_, i) => i + 1));
    const ts = got.ticks.map((t) => t.tsEvent);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! > ts[i - 1]!).toBe(true);
    expect(got.ticks[5]!.qty).toBe(1);
  });
});
