import { describe, expect, it } from 'vitest';
import { DenyCode } from '@hft/messages';
import { aaplChainSnapshot } from '@hft/testing';
import { GreekBook } from '../src/greek-exposure.js';
import { engine, instruments, order, stream } from './engine-harness.js';

const CALL = 'AAPL260306C187.5';
const PUT = 'AAPL260306P187.5';

/** An engine whose greek limits are the given ones, greeks valued from a snapshot of the shipped chain. */
function withGreeks(limits: { strategy?: Record<string, number>; underlying?: Record<string, number>; strategies?: Record<string, Record<string, number>> }) {
  const h = engine();
  const book = new GreekBook(instruments, { strategy: limits.strategy ?? {}, underlying: limits.underlying ?? {}, strategies: limits.strategies ?? {}, underlyings: {} });
  book.onSnapshot(aaplChainSnapshot());
  h.e.greeks = book;
  // Options are cheap: keep the test's notional and band limits out of the way.
  h.e.setLimits('default', null, { max_order_qty: 100_000, max_notional: 1e9, price_band_bps: 100_000, max_position: 1e6 }, 'test');
  return h;
}

const atmDelta = (): number => aaplChainSnapshot().expiries[0]!.strikes.find((k) => k.strike === 187.5)!.call!.greeks!.delta;

describe('greek limits', () => {
  it('denies an option order that takes the strategy delta past its limit, with the values compared', () => {
    const { e } = withGreeks({ strategy: { max_delta: 10_000 } });
    // 150 calls x 100 x ~0.53 delta ~ 8,000 shares: within; 250 more would pass 10,000.
    expect(e.check(order({ symbol: CALL, quantity: 150, price: 2.2 }), 2.2, true).ok).toBe(true);
    const d = e.check(order({ symbol: CALL, quantity: 100, price: 2.2 }), 2.2, true);
    expect(d).toMatchObject({ ok: false, code: DenyCode.MaxDelta, values: { limit: 10_000, scope: 'strategy', underlying: 'AAPL' } });
    // The working 150 count: 250 x 100 x delta.
    expect(d.values['projected']).toBeCloseTo(250 * 100 * atmDelta(), 6);
    expect(d.reason).toMatch(/^mm's delta in AAPL would reach \d+\.\d\d \(now 0\.00, order \+\d+\.\d\d, working 0\.00\.\.\+\d+\.\d\d\), limit 10000$/);
  });

  it('lets a hedge through: shares that bring delta back towards zero, even above the limit', () => {
    const { e } = withGreeks({ strategy: { max_delta: 10_000 } });
    const s = stream('mm');
    const calls = order({ symbol: CALL, quantity: 150, price: 2.2 });
    expect(e.check(calls, 2.2, true).ok).toBe(true);
    e.onOrderEvent(s.submitted(calls));
    e.onOrderEvent(s.filled(calls, 150, 2.2));
    // Shorting the underlying reduces the delta; buying it adds to it.
    expect(e.check(order({ symbol: 'AAPL', side: 'sell', quantity: 8000, price: 187.5 }), 187.5, false).ok).toBe(true);
    expect(e.check(order({ symbol: 'AAPL', side: 'buy', quantity: 3000, price: 187.5 }), 187.5, false)).toMatchObject({ ok: false, code: DenyCode.MaxDelta });
    // A put has negative delta: buying puts reduces the long-call delta.
    expect(e.check(order({ symbol: PUT, quantity: 100, price: 2.0 }), 2.0, false).ok).toBe(true);
  });

  it('checks gamma and vega, per strategy override and across all strategies', () => {
    const { e } = withGreeks({ underlying: { max_vega: 5_000 }, strategies: { hedge: { max_gamma: 100 } } });
    const snap = aaplChainSnapshot();
    const callQ = snap.expiries[0]!.strikes.find((k) => k.strike === 187.5)!.call!;
    const gammaPer = callQ.greeks!.gamma * 100;
    const n = Math.ceil(100 / gammaPer) + 1;
    expect(e.check(order({ strategyId: 'hedge', symbol: CALL, quantity: n, price: 2.2 }), 2.2, false)).toMatchObject({ ok: false, code: DenyCode.MaxGamma, values: { scope: 'strategy', limit: 100 } });
    // Vega across strategies: mm's working calls plus other's order.
    const vegaPer = (callQ.greeks!.vega * 100) / 100;
    const half = Math.ceil(2_600 / vegaPer);
    expect(e.check(order({ strategyId: 'mm', symbol: CALL, quantity: half, price: 2.2 }), 2.2, true).ok).toBe(true);
    expect(e.check(order({ strategyId: 'other', symbol: CALL, quantity: half, price: 2.2 }), 2.2, true)).toMatchObject({ ok: false, code: DenyCode.MaxVega, values: { scope: 'underlying', underlying: 'AAPL' } });
  });

  it('fails closed on a contract whose greeks are not known, and leaves instruments without options alone', () => {
    const { e } = withGreeks({ strategy: { max_delta: 10_000 } });
    const deep = aaplChainSnapshot().expiries[0]!.strikes[0]!.put!.symbol; // 140 put: quoted 0/0.01, never valued
    expect(e.check(order({ symbol: deep, quantity: 1, price: 0.01 }), 0.01, false)).toMatchObject({ ok: false, code: DenyCode.GreeksUnavailable, values: { symbol: deep } });
    expect(e.check(order({ symbol: 'MSFT', quantity: 100, price: 100 }), 100, false).ok).toBe(true);
  });
});
