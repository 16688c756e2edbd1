import { describe, expect, it } from 'vitest';
import { replay, tmpFile } from './harness.js';

const T0 = 1772461800_000_000_000n;

describe('pacing', () => {
  it('replays at the requested speed: no tick is published before its data time divided by the speed', async () => {
    // 3 s of data: a tick every 100 ms, then a 1 s gap, then more ticks.
    const rows = ['ts,symbol,type,side,price,qty'];
    const times: number[] = [];
    for (let i = 0; i <= 20; i++) times.push(i * 100);
    for (let i = 0; i <= 10; i++) times.push(3000 + i * 100);
    for (const ms of times) rows.push(`${T0 + BigInt(ms) * 1_000_000n},AAPL,trade,buy,187.40,${ms + 1}`);
    const file = tmpFile('paced.csv', rows.join('\n'));
    const got = await replay({ files: [{ path: file, format: 'auto' }], speed: 10, maxBatch: 1 });
    expect(got.ticks).toHaveLength(times.length);
    // No tick leaves before its time: each is published (market-data's own stamp) no earlier than the
    // start plus its data offset divided by the speed (the 1 s gap included). Lower bounds only: a
    // loaded machine may publish late, never early; lateness is measured as lag, not asserted.
    const start = got.summary.startedAtMs!;
    const ev0 = got.ticks[0]!.tsEvent;
    got.ticks.forEach((t, i) => expect(Number(got.tickPublished[i]!) / 1e6 - start).toBeGreaterThanOrEqual(Number(t.tsEvent - ev0) / 1e6 / 10 - 2));
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
    // Progress after each restart is the real rate: pacing never runs early, so never above the 10x asked.
    expect(got.summary.achievedSpeed).toBeGreaterThan(0);
    expect(got.summary.achievedSpeed).toBeLessThanOrEqual(10 * 1.1);
  });

  it('waits for subscribers of the symbols the files contain, not of every configured instrument', async () => {
    const file = tmpFile('aapl-only.csv', ['ts,symbol,type,side,price,qty', `${T0},AAPL,trade,buy,187.40,1`, `${T0 + 1_000_000n},AAPL,trade,buy,187.41,2`].join('\n'));
    // Only AAPL's topics have a subscriber; MSFT and the rest are configured but not in the file.
    const got = await replay({ files: [{ path: file, format: 'auto' }], waitSubscribers: 1, waitTimeoutMs: 5000 }, ['md.tick.AAPL', 'md.book.AAPL']);
    expect(got.ticks.map((t) => t.qty)).toEqual([1, 2]);
    expect(got.logLines.filter((l) => l['msg'] === 'starting without all subscribers (timeout)')).toEqual([]);
  });
});
