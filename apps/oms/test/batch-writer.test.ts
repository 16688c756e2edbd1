// The ledger's group commit: a trickle becomes one write, a full batch goes at once, drain never waits
// out the linger, and a failed write is retried before anything after it is handled.
import { describe, expect, it } from 'vitest';
import { until } from '@hft/testing';
import { BatchWriter } from '../src/batch-writer.js';

function writer(o: { lingerMs?: number; batchMax?: number; failFirst?: number } = {}) {
  const batches: number[][] = [];
  const handled: number[] = [];
  let failures = o.failFirst ?? 0;
  const w = new BatchWriter<number>({
    name: 't',
    capacity: 1000,
    batchMax: o.batchMax ?? 100,
    retryInitialMs: 1,
    retryMaxMs: 4,
    lingerMs: o.lingerMs,
    write: async (b) => {
      if (failures-- > 0) throw new Error('database away');
      batches.push([...b]);
    },
    after: (b) => handled.push(...b),
  });
  return { w, batches, handled };
}

describe('BatchWriter', () => {
  it('gathers items pushed within the linger into one write, and writes when the linger ends', async () => {
    const { w, batches } = writer({ lingerMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      w.push(i);
      await new Promise((r) => setImmediate(r));
    }
    expect(batches).toEqual([]);
    await w.drain();
    expect(batches).toEqual([[0, 1, 2, 3, 4]]);
    const short = writer({ lingerMs: 5 });
    short.w.push(7);
    await until(() => short.batches.length > 0 || undefined, 'written after the linger');
    expect(short.batches).toEqual([[7]]);
  });

  it('writes a full batch without waiting for the linger', async () => {
    const { w, batches } = writer({ lingerMs: 60_000, batchMax: 3 });
    for (let i = 0; i < 3; i++) w.push(i);
    await new Promise((r) => setTimeout(r, 10));
    expect(batches).toEqual([[0, 1, 2]]);
  });

  it('drain cuts the linger short and resolves once everything is handled', async () => {
    const { w, handled } = writer({ lingerMs: 60_000 });
    w.push(1);
    w.push(2);
    await w.drain();
    expect(handled).toEqual([1, 2]);
  });

  it('retries a failed write and keeps the order', async () => {
    const { w, batches, handled } = writer({ failFirst: 2 });
    w.push(1);
    w.push(2);
    await w.drain();
    w.push(3);
    await w.drain();
    expect(handled).toEqual([1, 2, 3]);
    expect(batches.flat()).toEqual([1, 2, 3]);
    expect(w.retries).toBe(2);
  });
});
