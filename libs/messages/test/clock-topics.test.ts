import { describe, expect, it } from 'vitest';
import { nowNs, topicMatches, topics } from '../src/index.js';

describe('nowNs', () => {
  it('is epoch nanoseconds, agrees with Date.now and never goes backwards', () => {
    const a = nowNs();
    const wall = BigInt(Date.now()) * 1_000_000n;
    const diff = a > wall ? a - wall : wall - a;
    expect(diff < 5_000_000n).toBe(true);
    let prev = a;
    for (let i = 0; i < 10_000; i++) {
      const t = nowNs();
      expect(t >= prev).toBe(true);
      prev = t;
    }
  });
});

describe('topics', () => {
  it('match exactly, not by ZeroMQ prefix, unless the subscription is a dotted prefix', () => {
    expect(topicMatches(topics.tick('BTC-USDT'), [topics.tick('BTC')])).toBe(false);
    expect(topicMatches(topics.tick('BTC'), [topics.tick('BTC')])).toBe(true);
    expect(topicMatches(topics.tick('BTC'), ['md.tick.'])).toBe(true);
    expect(topicMatches(topics.orderEvents('mm'), [''])).toBe(true);
    expect(topicMatches(topics.orderHeads, ['orders.'])).toBe(false);
  });
});

describe('SequenceTracker', () => {
  it('counts gaps and missed messages per key, and treats a restart as a reset', async () => {
    const { SequenceTracker } = await import('../src/index.js');
    const s = new SequenceTracker();
    expect([s.see('a', 1), s.see('a', 2), s.see('b', 7), s.see('a', 5), s.see('a', 1)]).toEqual([0, 0, 0, 2, 0]);
    expect({ gaps: s.gaps, missed: s.missed, resets: s.resets }).toEqual({ gaps: 1, missed: 2, resets: 1 });
  });
});

describe('RecentIds', () => {
  it('remembers the last n ids and forgets the oldest', async () => {
    const { RecentIds } = await import('../src/index.js');
    const r = new RecentIds(3);
    for (const id of ['a', 'b', 'c', 'a', 'd']) r.add(id);
    expect(['a', 'b', 'c', 'd'].map((x) => r.has(x))).toEqual([false, true, true, true]);
  });
});
