import { afterEach, describe, expect, it } from 'vitest';
import { decodeTickFrame, type Tick } from '@hft/messages';
import { Subscriber } from '@hft/transport';
import { replay, tmpFile } from './harness.js';

const T0 = 1772461800_000_000_000n;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

/** A second consumer of the tick stream, named `name`: the ticks it receives. */
function lateConsumer(endpoint: string, name: string): Tick[] {
  const got: Tick[] = [];
  const sub = new Subscriber({ stream: 'ticks', endpoint, topics: ['md.tick.AAPL'], consumer: name });
  sub.start((_t, [body]) => {
    const r = decodeTickFrame(body!);
    if (r.ok) got.push(...r.value.ticks);
  });
  closers.push(() => sub.close());
  return got;
}

async function waitFor(cond: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

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

  it('waits for its consumers by name: two topics of one consumer are not two consumers, and a late one still gets the first tick', async () => {
    const file = tmpFile('aapl-only.csv', ['ts,symbol,type,side,price,qty', `${T0},AAPL,trade,buy,187.40,1`, `${T0 + 1_000_000n},AAPL,trade,buy,187.41,2`].join('\n'));
    // The harness's consumer 'test' subscribes md.tick.AAPL and md.trade.AAPL (two subscriptions, which
    // a count of 2 would have taken for two consumers); 'late' subscribes 300 ms after the replay starts.
    let late: Tick[] = [];
    const got = await replay(
      { files: [{ path: file, format: 'auto' }], waitFor: ['test', 'late@ticks'], waitTimeoutMs: 10_000 },
      ['md.tick.AAPL', 'md.trade.AAPL', 'md.book.AAPL'],
      undefined,
      (endpoints) => {
        setTimeout(() => {
          late = lateConsumer(endpoints.ticks, 'late');
        }, 300);
      },
    );
    expect(got.ticks.map((t) => t.qty)).toEqual([1, 2]);
    expect(got.logLines.filter((l) => String(l['msg']).startsWith('starting without'))).toEqual([]);
    await waitFor(() => late.length === 2);
    expect(late.map((t) => t.qty)).toEqual([1, 2]);
  });

  it('starts without a consumer that never comes, after the timeout, and says which one on which stream', async () => {
    const file = tmpFile('aapl-one.csv', ['ts,symbol,type,side,price,qty', `${T0},AAPL,trade,buy,187.40,1`].join('\n'));
    const got = await replay({ files: [{ path: file, format: 'auto' }], waitFor: ['test', 'absent@books'], waitTimeoutMs: 300 });
    expect(got.ticks.map((t) => t.qty)).toEqual([1]);
    expect(got.logLines.filter((l) => String(l['msg']).startsWith('starting without')).map((l) => [l['stream'], l['missing']])).toEqual([['books', ['absent']]]);
  });
});
