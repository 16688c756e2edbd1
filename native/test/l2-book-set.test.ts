import { describe, expect, it } from 'vitest';
import { L2BookSet, L2UpdateBatch, levelsBuffer, readLevels, rejectName, Side } from '../src/index.js';
import { TsL2BookSet } from '../bench/ts-l2-book-set.js';
import { l2UpdateStream } from '../bench/update-stream.js';

function bbo(set: L2BookSet, book: number): number[] {
  const out = new Float64Array(4);
  set.bbo(book, out);
  return [...out];
}

describe('L2BookSet through the binding', () => {
  it('applies a batch and reports best levels and depth', () => {
    const set = new L2BookSet();
    const aapl = set.addBook(1, 1);
    const b = new L2UpdateBatch();
    b.push(aapl, Side.Buy, 10_000, 300);
    b.push(aapl, Side.Buy, 9_999, 100);
    b.push(aapl, Side.Sell, 10_002, 200);
    b.push(aapl, Side.Sell, 10_001, 50);
    expect(set.apply(b.view())).toBe(0);
    expect(bbo(set, aapl)).toEqual([10_000, 300, 10_001, 50]);
    const out = levelsBuffer(10);
    const levels = readLevels(out, set.top(aapl, out));
    expect(levels.bids).toEqual([
      { price: 10_000, qty: 300 },
      { price: 9_999, qty: 100 },
    ]);
    expect(levels.asks.map((l) => l.price)).toEqual([10_001, 10_002]);
    expect(set.stats(aapl)).toEqual({ bidLevels: 2, askLevels: 2, uncrossedLevels: 0, crossed: false });
  });

  it('deletes a level on zero quantity', () => {
    const set = new L2BookSet();
    set.addBook(1, 1);
    set.apply(new Float64Array([0, 0, 100, 5, 0, 0, 100, 0]));
    expect(bbo(set, 0)).toEqual([0, 0, 0, 0]);
  });

  it('reports every bad record by index and stable code while applying the good ones', () => {
    const set = new L2BookSet();
    set.addBook(5, 100);
    const batch = new Float64Array([
      0, 0, 1000, 100, // ok
      0, 0, Number.NaN, 100,
      0, 0, -5, 100,
      0, 0, 0, 100,
      0, 0, 1003, 100,
      0, 1, 1010, -100,
      0, 1, 1010, 150,
      0, 1, 1010, Number.POSITIVE_INFINITY,
      0, 7, 1010, 100,
      3, 0, 1000, 100,
      0, 1, 1010, 200, // ok
    ]);
    expect(set.apply(batch)).toBe(9);
    const rejects = [...set.lastRejects()];
    const pairs: [number, string][] = [];
    for (let i = 0; i < rejects.length; i += 2) pairs.push([rejects[i]!, rejectName(rejects[i + 1]!)]);
    expect(pairs).toEqual([
      [1, 'PRICE_NOT_FINITE'],
      [2, 'PRICE_NOT_POSITIVE'],
      [3, 'PRICE_NOT_POSITIVE'],
      [4, 'PRICE_OFF_TICK'],
      [5, 'QTY_NEGATIVE'],
      [6, 'QTY_OFF_LOT'],
      [7, 'QTY_NOT_FINITE'],
      [8, 'INVALID_SIDE'],
      [9, 'UNKNOWN_BOOK'],
    ]);
    expect(bbo(set, 0)).toEqual([1000, 100, 1010, 200]);
  });

  it('trusts the latest update when a book would cross, or keeps it crossed on request', () => {
    const set = new L2BookSet();
    const trust = set.addBook(1, 1);
    const keep = set.addBook(1, 1, true);
    const b = new L2UpdateBatch();
    for (const book of [trust, keep]) {
      b.push(book, Side.Sell, 101, 1);
      b.push(book, Side.Sell, 102, 1);
      b.push(book, Side.Buy, 101, 4);
    }
    set.apply(b.view());
    expect(bbo(set, trust)).toEqual([101, 4, 102, 1]);
    expect(set.stats(trust).uncrossedLevels).toBe(1);
    expect(set.stats(keep).crossed).toBe(true);
  });

  it('refuses a non-integer tick and an unknown book index with a clear error', () => {
    const set = new L2BookSet();
    expect(() => set.addBook(0.5, 1)).toThrow(/tick \(0.5\) and lot \(1\) must be positive integers/);
    expect(() => set.bbo(3, new Float64Array(4))).toThrow(/unknown book index 3/);
  });

  it('agrees level by level with the pure TypeScript book on a long random stream', () => {
    const books = 4;
    const stream = l2UpdateStream(200_000, books, 99);
    const native = new L2BookSet();
    const ts = new TsL2BookSet();
    for (let i = 0; i < books; i++) {
      native.addBook(1, 1);
      ts.addBook(1, 1);
    }
    const out = levelsBuffer(10);
    for (let off = 0; off < stream.length; off += 4 * 5000) {
      const chunk = stream.subarray(off, off + 4 * 5000);
      expect(native.apply(chunk)).toBe(ts.apply(chunk));
      for (let b = 0; b < books; b++) {
        const n = readLevels(out, native.top(b, out));
        const t = ts.top(b, 10);
        expect(n.bids.map((l) => [l.price, l.qty])).toEqual(t.bids);
        expect(n.asks.map((l) => [l.price, l.qty])).toEqual(t.asks);
      }
    }
  });
});
