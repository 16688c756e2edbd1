import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Aggressor,
  decodeBookSnapshot,
  decodeTickFrame,
  encodeBookSnapshot,
  TickFrameEncoder,
  TickKind,
  writeEpochNs,
} from '../src/index.js';

function reason(r: { ok: boolean; reason?: string }): string {
  return r.ok ? 'ok' : r.reason!;
}

describe('tick frames', () => {
  it('encode through 32-bit words exactly what the byte-by-byte writer wrote, for any value in range (negative prices too)', () => {
    const int53 = fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 53 - 1 }), fc.integer({ min: 0, max: 9_000_000_000 }), fc.integer({ min: 0, max: 999_999_999 }), int53, int53, fc.constantFrom(0, 1, 2, 3, 4), fc.constantFrom(0, 1, 2), (seq, sec, nsec, px, qty, kind, aggr) => {
        const enc = new TickFrameEncoder('X', -2, -3, 2);
        enc.add(seq, sec, nsec, kind as TickKind, aggr as Aggressor, px, qty);
        const b = enc.finish(0n).subarray(32);
        expect([b.readBigInt64LE(0), b.readBigInt64LE(8), b.readBigInt64LE(16), b.readBigInt64LE(24), b[32], b[33], ...b.subarray(34, 40)]).toEqual([BigInt(seq), BigInt(sec) * 1_000_000_000n + BigInt(nsec), BigInt(px), BigInt(qty), kind, aggr, 0, 0, 0, 0, 0, 0]);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trip every field exactly, including large sequence numbers and ns timestamps', () => {
    const enc = new TickFrameEncoder('BTC-USDT', -2, -5, 4);
    enc.add(1, 1_763_900_000, 123_456_789, TickKind.Trade, Aggressor.Seller, 9_876_543_21, 150_000);
    enc.add(2 ** 40 + 3, 0, 1, TickKind.Bid, Aggressor.Unknown, 2 ** 52, 0);
    const frame = enc.finish(42n);
    expect(frame.length).toBe(32 + 2 * 40);
    expect(enc.count).toBe(0);
    const r = decodeTickFrame(frame);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ symbol: 'BTC-USDT', tsPublish: 42n, priceExponent: -2, qtyExponent: -5 });
    expect(r.value.ticks[0]).toEqual({
      symbol: 'BTC-USDT',
      seq: 1,
      tsEvent: 1_763_900_000_123_456_789n,
      kind: TickKind.Trade,
      aggressor: Aggressor.Seller,
      priceUnits: 987_654_321,
      qtyUnits: 150_000,
      price: 9_876_543.21,
      qty: 1.5,
    });
    expect(r.value.ticks[1]).toMatchObject({ seq: 2 ** 40 + 3, priceUnits: 2 ** 52, qty: 0 });
  });

  it('refuses to build frames it could not decode', () => {
    expect(() => new TickFrameEncoder('bad sym', -2, 0)).toThrow(/cannot be framed/);
    expect(() => new TickFrameEncoder('X', 3, 0)).toThrow(/price exponent 3/);
    const enc = new TickFrameEncoder('X', 0, 0, 1);
    enc.add(1, 0, 1, TickKind.Trade, Aggressor.Buyer, 1, 1);
    expect(() => enc.add(2, 0, 1, TickKind.Trade, Aggressor.Buyer, 1, 1)).toThrow(/full/);
  });

  it('drops malformed frames with a reason', () => {
    const enc = new TickFrameEncoder('AAPL', -2, 0, 2);
    enc.add(1, 0, 1, TickKind.Trade, Aggressor.Buyer, 100, 1);
    const good = enc.finish(1n);
    expect(reason(decodeTickFrame(good.subarray(0, 20)))).toBe('bad_header');
    expect(reason(decodeTickFrame(good.subarray(0, good.length - 1)))).toBe('bad_length');
    const v = Buffer.from(good);
    v[0] = 9;
    expect(reason(decodeTickFrame(v))).toBe('bad_version');
    const k = Buffer.from(good);
    k[1] = 2;
    expect(reason(decodeTickFrame(k))).toBe('bad_kind');
    const s = Buffer.from(good);
    s.write('aapl', 16, 'latin1');
    expect(reason(decodeTickFrame(s))).toBe('bad_symbol');
    const t = Buffer.from(good);
    t[32 + 32] = 9;
    expect(reason(decodeTickFrame(t))).toBe('bad_value');
    const neg = Buffer.from(good);
    neg.writeInt32LE(-1, 32 + 20);
    expect(reason(decodeTickFrame(neg))).toBe('bad_value');
  });
});

describe('writeEpochNs', () => {
  it('writes exact nanoseconds for times up to 2106 without BigInt', () => {
    const buf = Buffer.alloc(8);
    let seed = 7;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cases: [number, number][] = [
      [0, 0],
      [1, 999_999_999],
      [1_772_461_800, 123_456_789],
      [2 ** 32 - 1, 999_999_999],
      ...Array.from({ length: 1000 }, (): [number, number] => [Math.floor(rand() * 2 ** 32), Math.floor(rand() * 1e9)]),
    ];
    for (const [sec, nsec] of cases) {
      writeEpochNs(buf, 0, sec, nsec);
      expect(buf.readBigUInt64LE(0)).toBe(BigInt(sec) * 1_000_000_000n + BigInt(nsec));
    }
  });
});

describe('book snapshot frames', () => {
  it('round-trip the levels written by the native top() layout', () => {
    const bids = new Float64Array([10_000, 300, 9_999, 100]);
    const asks = new Float64Array([10_001, 50, 0, 0]);
    const frame = encodeBookSnapshot({ symbol: 'AAPL', seq: 9, tsEvent: 5n, tsPublish: 6n, priceExponent: -2, qtyExponent: 0, bids, bidLevels: 2, asks, askLevels: 1 });
    const r = decodeBookSnapshot(frame);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.seq).toBe(9);
    expect(r.value.bids.map((l) => [l.price, l.qty])).toEqual([
      [100, 300],
      [99.99, 100],
    ]);
    expect(r.value.asks).toEqual([{ priceUnits: 10_001, qtyUnits: 50, price: 100.01, qty: 50 }]);
  });

  it('drops frames whose level count disagrees with their length or that hold empty levels', () => {
    const frame = encodeBookSnapshot({ symbol: 'AAPL', seq: 1, tsEvent: 1n, tsPublish: 1n, priceExponent: 0, qtyExponent: 0, bids: [5, 1], bidLevels: 1, asks: [], askLevels: 0 });
    expect(reason(decodeBookSnapshot(Buffer.concat([frame, Buffer.alloc(16)])))).toBe('bad_length');
    const zero = Buffer.from(frame);
    zero.fill(0, 48 + 8, 48 + 16);
    expect(reason(decodeBookSnapshot(zero))).toBe('bad_value');
  });
});
