import { describe, expect, it } from 'vitest';
import { Position } from '../src/index.js';

describe('Position', () => {
  it('averages cost when adding, realises PnL when reducing, and flips through zero', () => {
    const p = new Position('AAPL');
    p.onFill('buy', 100, 10);
    p.onFill('buy', 110, 10);
    expect([p.qty, p.avgPx]).toEqual([20, 105]);
    p.onFill('sell', 120, 5, 0.5);
    expect(p.realized).toBe(75);
    expect(p.qty).toBe(15);
    expect(p.unrealized(100)).toBe(-75);
    expect(p.totalPnl(100)).toBe(75 - 75 - 0.5);
    p.onFill('sell', 90, 25);
    expect(p.realized).toBe(75 + 15 * (90 - 105));
    expect([p.qty, p.avgPx]).toEqual([-10, 90]);
    p.onFill('buy', 80, 10);
    expect([p.qty, p.avgPx, p.realized]).toEqual([0, 0, 75 - 225 + 100]);
  });

  it('comes back to exactly flat with fractional quantities (integer units inside)', () => {
    const p = new Position('BTC-USDT', 1e5);
    p.onFill('buy', 68000, 0.1);
    p.onFill('buy', 68000, 0.2);
    p.onFill('sell', 68100, 0.3);
    expect(p.qty).toBe(0);
    expect(p.realized).toBeCloseTo(30, 9);
  });

  it('keeps state for persisting and takes it back', () => {
    const p = new Position('BTC-USDT', 1e5);
    p.onFill('buy', 68000, 0.00003, 0.01);
    const q = new Position('BTC-USDT', 1e5);
    q.restore(p.state());
    expect([q.qty, q.qtyUnits, q.avgPx, q.fees]).toEqual([0.00003, 3, 68000, 0.01]);
    q.onFill('sell', 68010, 0.00003);
    expect(q.qty).toBe(0);
  });

  it('keeps averages and PnL exact in integer units: no float noise (an average of 412.31 fills is 412.31)', () => {
    const aapl = { qtyScale: 1, priceDecimals: 2 };
    const p = new Position('AAPL', aapl);
    p.onFill('buy', 412.31, 3);
    expect(p.avgPx).toBe(412.31);
    p.onFill('buy', 412.31, 4);
    expect(p.avgPx).toBe(412.31);
    // 3 x 412.33 - 3 x 412.31 is 0.05999999999994543 in floats.
    p.onFill('sell', 412.33, 3);
    expect(p.realized).toBe(0.06);
    expect(p.unrealized(412.34)).toBe(0.12);
    // A third of a cent: rounded once, half up, to price_decimals + 4 (6 decimals here).
    const q = new Position('AAPL', aapl);
    q.onFill('buy', 100.01, 2);
    q.onFill('buy', 100.02, 1);
    expect(q.avgPx).toBe(100.013333);
    q.onFill('sell', 100.02, 3);
    expect([q.qty, q.realized]).toEqual([0, 0.02]);
  });

  it('refuses nonsense fills', () => {
    expect(() => new Position('X').onFill('buy', 0, 1)).toThrow(/must be > 0/);
    expect(() => new Position('X').onFill('sell', 1, -1)).toThrow(/must be > 0/);
  });
});
