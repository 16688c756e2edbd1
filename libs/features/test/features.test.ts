import { describe, expect, it } from 'vitest';
import { Aggressor, TickKind, type BookSnapshot, type Tick } from '@hft/messages';
import { CandleBuilder, classifyTrade, Ema, imbalance, RollingStats, SymbolFeatures, Vwap } from '../src/index.js';

function naiveStats(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, std: Math.sqrt(v) };
}

describe('RollingStats', () => {
  it('matches a two-pass computation over the window, at price scale, after many slides', () => {
    const r = new RollingStats(50);
    const xs: number[] = [];
    let p = 187.4;
    for (let i = 0; i < 20_000; i++) {
      p += Math.sin(i * 0.37) * 0.01 + (i % 7 === 0 ? 0.01 : -0.0013);
      const x = Math.round(p * 100) / 100;
      xs.push(x);
      r.update(x);
    }
    const { mean, std } = naiveStats(xs.slice(-50));
    expect(r.mean).toBeCloseTo(mean, 9);
    expect(r.std).toBeCloseTo(std, 9);
    expect(r.z(mean + 2 * std)).toBeCloseTo(2, 6);
  });

  it('is undefined before two samples and zero-spread safe', () => {
    const r = new RollingStats(3);
    expect(r.z(1)).toBeNaN();
    r.update(5);
    r.update(5);
    expect(r.z(7)).toBe(0);
    expect(() => new RollingStats(1)).toThrow(/>= 2/);
  });
});

describe('Ema, Vwap, candles, imbalance, trade side', () => {
  it('EMA seeds on the first sample and follows the span formula', () => {
    const e = Ema.ofSpan(3);
    expect(e.update(10)).toBe(10);
    expect(e.update(20)).toBe(15);
  });

  it('VWAP weights by volume', () => {
    const v = new Vwap();
    v.add(100, 1);
    v.add(110, 3);
    expect(v.value).toBe(107.5);
    expect(v.volume).toBe(4);
  });

  it('builds 1-minute OHLCV candles on exchange time and closes them when the next minute trades', () => {
    const c = new CandleBuilder('AAPL');
    const m = 60_000_000_000n;
    const t0 = 1772461800n * 1_000_000_000n;
    expect(c.add(t0 + 1n, 10, 1)).toBeNull();
    expect(c.add(t0 + 5n, 12, 2)).toBeNull();
    expect(c.add(t0 + m - 1n, 9, 1)).toBeNull();
    const closed = c.add(t0 + 2n * m, 11, 1);
    expect(closed).toEqual({ symbol: 'AAPL', start: t0, intervalNs: m, open: 10, high: 12, low: 9, close: 9, volume: 4, trades: 3, vwap: (10 + 24 + 9) / 4 });
    expect(c.current?.start).toBe(t0 + 2n * m);
  });

  it('imbalance over the top levels', () => {
    const l = (price: number, qty: number) => ({ price, qty, priceUnits: price, qtyUnits: qty });
    expect(imbalance([l(10, 30), l(9, 10)], [l(11, 10), l(12, 10)], 1)).toBe(0.5);
    expect(imbalance([l(10, 30), l(9, 10)], [l(11, 10), l(12, 10)], 2)).toBe(1 / 3);
    expect(imbalance([], [], 5)).toBe(0);
  });

  it('classifies trades: venue flag, else quote rule, else tick rule', () => {
    expect(classifyTrade(Aggressor.Seller, 10.5, 10, Number.NaN, Aggressor.Unknown)).toBe(Aggressor.Seller);
    expect(classifyTrade(Aggressor.Unknown, 10.02, 10.0, Number.NaN, Aggressor.Unknown)).toBe(Aggressor.Buyer);
    expect(classifyTrade(Aggressor.Unknown, 9.99, 10.0, Number.NaN, Aggressor.Unknown)).toBe(Aggressor.Seller);
    expect(classifyTrade(Aggressor.Unknown, 10.0, 10.0, 9.99, Aggressor.Unknown)).toBe(Aggressor.Buyer);
    expect(classifyTrade(Aggressor.Unknown, 10.0, 10.0, 10.0, Aggressor.Seller)).toBe(Aggressor.Seller);
  });
});

describe('SymbolFeatures', () => {
  const book = (bid: number, bq: number, ask: number, aq: number): BookSnapshot => ({
    symbol: 'AAPL', seq: 1, tsEvent: 1n, tsPublish: 2n, priceExponent: -2, qtyExponent: 0,
    bids: [{ price: bid, qty: bq, priceUnits: bid * 100, qtyUnits: bq }],
    asks: [{ price: ask, qty: aq, priceUnits: ask * 100, qtyUnits: aq }],
  });
  const trade = (price: number, qty: number, aggressor: Aggressor): Tick => ({
    symbol: 'AAPL', seq: 1, tsEvent: 10n, kind: TickKind.Trade, aggressor, price, qty, priceUnits: price * 100, qtyUnits: qty,
  });

  it('tracks touch, mid, spread, imbalance, aggressor volumes and VWAP incrementally', () => {
    const f = new SymbolFeatures('AAPL');
    f.onBook(book(100, 300, 100.02, 100));
    expect(f.mid).toBeCloseTo(100.01, 10);
    expect(f.spread).toBeCloseTo(0.02, 10);
    expect(f.imbalance).toBe(0.5);
    expect(f.microprice).toBeCloseTo((100 * 100 + 100.02 * 300) / 400, 10);
    f.onTick(trade(100.02, 10, Aggressor.Unknown));
    f.onTick(trade(100, 30, Aggressor.Seller));
    expect([f.buyVolume, f.sellVolume]).toEqual([10, 30]);
    expect(f.vwap.value).toBeCloseTo((100.02 * 10 + 100 * 30) / 40, 10);
    expect(f.lastAggressor).toBe(Aggressor.Seller);
  });
});
