import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, loadConfig } from '@hft/config';
import { BuildupClass, OptionChainSnapshot, OptionValueCode } from '@hft/messages';
import { OptionBatch } from '@hft/native';
import { ChainAnalytics, classifyBuildup, gammaExposure, gammaWalls, maxPain, OptionChainState, YEAR_MS } from '../src/index.js';

const registry = InstrumentRegistry.fromConfig(loadConfig({ env: {} }));
const NOW = Date.parse('2026-03-02T15:00:00Z');
const SPOT = 187.5;
const RATE = 0.04;
const Q = 0.005;
const VOL = (k: number): number => 0.25 + 0.3 * Math.log(k / SPOT) ** 2;

/** The shipped AAPL chain with every contract quoted a cent either side of its BSM value on a known smile. */
function quotedChain(): { state: OptionChainState; theo: number[] } {
  const state = new OptionChainState(registry.get('AAPL'), registry);
  const b = new OptionBatch(state.contracts.length);
  for (const c of state.contracts) {
    const o = c.option!;
    b.add({ model: 'bsm', right: o.right, underlying: SPOT, strike: o.strike, years: (o.expiresAtMs - NOW) / YEAR_MS, rate: RATE, dividend: Q, value: VOL(o.strike) });
  }
  b.priceGreeks();
  const theo = state.contracts.map((_, i) => b.greeksOf(i).price);
  theo.forEach((p, i) => {
    // Mid exactly at theo: bid and ask symmetric around it, in whole cents when the value allows.
    const cents = Math.round(p * 100);
    state.bbo.set([cents - 1, 10, cents + 1, 10], 4 * i);
  });
  const u = 4 * state.contracts.length;
  state.bbo.set([18749, 100, 18751, 100], u);
  return { state, theo };
}

describe('option chain analytics', () => {
  it('implies the smile back from the quotes and prices greeks for the whole chain', () => {
    const { state } = quotedChain();
    state.contracts.forEach((_, i) => state.onOpenInterest(i, 1000, 1n));
    const snap = new ChainAnalytics(state).snapshot({ rate: RATE, dividendYield: Q }, NOW, 1_772_463_600_000_000_000n);
    expect(OptionChainSnapshot.safeParse(JSON.parse(JSON.stringify(snap, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))).success).toBe(true);
    expect(snap.spot).toBe(187.5);
    expect(snap.expiries.map((e) => e.expiry)).toEqual(['2026-03-06', '2026-03-20']);
    const near = snap.expiries[0]!;
    expect(near.strikes).toHaveLength(40);
    const atm = near.strikes.find((s) => s.strike === 187.5)!;
    // The mid is the theo rounded to a cent, so the vol comes back to within what a cent is worth.
    expect(atm.call!.iv!).toBeCloseTo(VOL(187.5), 2);
    expect(atm.call!.greeks!.delta).toBeGreaterThan(0.45);
    expect(atm.call!.greeks!.delta).toBeLessThan(0.6);
    expect(atm.put!.greeks!.delta).toBeLessThan(0);
    expect(near.atmIv!).toBeCloseTo(VOL(187.5), 2);
    // Equal OI everywhere: put/call ratio 1, max pain at the money, walls near it, call GEX +, put GEX -.
    expect(near.pcrOi).toBe(1);
    expect(Math.abs(near.maxPain! - SPOT)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(near.callWall! - SPOT)).toBeLessThanOrEqual(5);
    expect(Math.abs(near.putWall! - SPOT)).toBeLessThanOrEqual(5);
    // Calls and puts of one strike have the same BSM gamma: with equal OI their exposures cancel (to the cent rounding of the vols).
    const callGex = gammaExposure('call', atm.call!.greeks!.gamma, 1000, 100, SPOT);
    expect(Math.abs(atm.gex)).toBeLessThan(0.01 * callGex);
    expect(snap.totals.atmIv).toBe(near.atmIv);
  });

  it('says per contract why there is no vol: no price, a price below intrinsic, no underlying, expired', () => {
    const { state } = quotedChain();
    const i140c = state.contracts.findIndex((c) => c.symbol === 'AAPL260306C140');
    const i190c = state.contracts.findIndex((c) => c.symbol === 'AAPL260306C190');
    state.bbo.fill(0, 4 * i190c, 4 * i190c + 4);
    state.bbo.set([100, 1, 200, 1], 4 * i140c); // 1.50 for a call 47.50 in the money
    const a = new ChainAnalytics(state);
    const byCode = (s: ReturnType<ChainAnalytics['snapshot']>, sym: string) => s.expiries.flatMap((e) => e.strikes.flatMap((k) => [k.call, k.put])).find((q) => q?.symbol === sym)!;
    const snap = a.snapshot({ rate: RATE, dividendYield: Q }, NOW, 1n);
    expect(byCode(snap, 'AAPL260306C190')).toMatchObject({ code: OptionValueCode.NoPrice, iv: null, greeks: null, mark: null });
    expect(byCode(snap, 'AAPL260306C140')).toMatchObject({ code: OptionValueCode.BelowIntrinsic, iv: null });
    expect(byCode(snap, 'AAPL260306P190').code).toBe(OptionValueCode.Ok);
    const later = a.snapshot({ rate: RATE, dividendYield: Q }, Date.parse('2026-03-07T00:00:00Z'), 1n);
    expect(byCode(later, 'AAPL260306P190').code).toBe(OptionValueCode.Expired);
    expect(byCode(later, 'AAPL260320P190').code).toBe(OptionValueCode.Ok);
    state.bbo.fill(0, 4 * state.contracts.length);
    expect(byCode(a.snapshot({ rate: RATE, dividendYield: Q }, NOW, 1n), 'AAPL260320P190').code).toBe(OptionValueCode.NoUnderlying);
  });

  it('classifies buildup from the session price and OI changes, and scores it', () => {
    expect(classifyBuildup(2.2, 2.0, 1100, 1000, 50).buildup).toBe(BuildupClass.LongBuildup);
    expect(classifyBuildup(1.8, 2.0, 1100, 1000, 50).buildup).toBe(BuildupClass.ShortBuildup);
    expect(classifyBuildup(2.2, 2.0, 900, 1000, 50).buildup).toBe(BuildupClass.ShortCovering);
    expect(classifyBuildup(1.8, 2.0, 900, 1000, 50).buildup).toBe(BuildupClass.LongUnwinding);
    expect(classifyBuildup(2.001, 2.0, 1100, 1000, 50)).toEqual({ buildup: BuildupClass.Neutral, buildupScore: 0 });
    expect(classifyBuildup(null, 2.0, 1100, 1000, 50).buildup).toBe(BuildupClass.Neutral);
    // Full weight at OI +10%, price +20%, volume 10% of OI.
    expect(classifyBuildup(2.4, 2.0, 1100, 1000, 100).buildupScore).toBe(100);
    expect(classifyBuildup(2.2, 2.0, 1050, 1000, 0).buildupScore).toBeCloseTo(100 * (0.45 * 0.5 + 0.35 * 0.5), 5);
  });

  it('finds max pain and the gamma walls', () => {
    // Calls stacked at 100, puts at 120: holders lose most between them.
    expect(maxPain([90, 100, 110, 120, 130], [0, 500, 0, 0, 0], [0, 0, 0, 500, 0])).toBe(100);
    expect(maxPain([90, 100], [0, 0], [0, 0])).toBeNull();
    expect(gammaExposure('call', 0.05, 1000, 100, 100)).toBeCloseTo(0.05 * 1000 * 100 * 100 * 100 * 0.01, 9);
    expect(gammaExposure('put', 0.05, 1000, 100, 100)).toBeLessThan(0);
    expect(gammaWalls([90, 100, 110], [1, 5, 2], [-4, -1, 0])).toEqual({ callWall: 100, putWall: 90 });
    expect(gammaWalls([90], [0], [0])).toEqual({ callWall: null, putWall: null });
  });
});
