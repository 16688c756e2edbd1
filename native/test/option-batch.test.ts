// The native option pricer against values computed independently (mpmath, 60 digits, greeks by
// numerical differentiation: test/fixtures/options-mpmath.json), an implied-vol round trip over the
// whole grid the desk trades, and every bad input coming back as its code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GREEK_NAMES, OptionBatch, optionCodeName, type OptionRow } from '../src/index.js';

interface Fixture {
  source: string;
  cases: { input: [number, number, number, number, number, number, number, number]; expected: Record<string, number> }[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/options-mpmath.json', import.meta.url), 'utf8')) as Fixture;

const rowOf = ([model, right, underlying, strike, years, rate, dividend, value]: Fixture['cases'][number]['input']): OptionRow => ({
  model: model === 1 ? 'black76' : 'bsm',
  right: right === 1 ? 'put' : 'call',
  underlying,
  strike,
  years,
  rate,
  dividend,
  value,
});

/** Relative agreement, with an absolute floor scaled to the option (a greek that is ~0 cannot be compared relatively). */
function agrees(got: number, want: number, scale: number, rel = 1e-9): boolean {
  return Math.abs(got - want) <= rel * Math.max(Math.abs(want), 1e-7 * scale);
}

describe('OptionBatch (native BSM / Black-76)', () => {
  it(`prices and greeks agree with the independent reference to 1e-9 (${fixture.cases.length} cases)`, () => {
    const b = new OptionBatch(fixture.cases.length);
    for (const c of fixture.cases) b.add(rowOf(c.input));
    expect(b.priceGreeks()).toBe(fixture.cases.length);
    const misses: string[] = [];
    fixture.cases.forEach((c, i) => {
      const g = b.greeksOf(i);
      const scale = c.input[2];
      for (const name of GREEK_NAMES) {
        if (name === 'thetaDay') continue;
        if (!agrees(g[name], c.expected[name]!, scale)) misses.push(`case ${i} ${JSON.stringify(c.input)} ${name}: ${g[name]} vs ${c.expected[name]}`);
      }
      expect(g.thetaDay).toBeCloseTo(g.theta / 365, 15);
    });
    expect(misses).toEqual([]);
    // Hull's worked example (S 42, K 40, r 10%, vol 20%, 6 months): call 4.76, put 0.81.
    const hull = fixture.cases.findIndex((c) => c.input[0] === 0 && c.input[1] === 0 && c.input[2] === 42);
    expect(b.greeksOf(hull).price).toBeCloseTo(4.76, 2);
    expect(b.greeksOf(hull + 10).price).toBeCloseTo(0.81, 2);
  });

  it('round-trips price -> implied vol -> price over moneyness 0.5-2.0, 1 day-2 years, vols 1%-300%', () => {
    const moneyness = [0.5, 0.7, 0.9, 1, 1.1, 1.3, 1.6, 2];
    const years = [1 / 365, 7 / 365, 30 / 365, 0.25, 0.5, 1, 2];
    const vols = [0.01, 0.05, 0.1, 0.2, 0.4, 0.8, 1.5, 3];
    const rows: OptionRow[] = [];
    for (const model of ['bsm', 'black76'] as const)
      for (const right of ['call', 'put'] as const)
        for (const m of moneyness) for (const t of years) for (const v of vols) rows.push({ model, right, underlying: 100, strike: 100 * m, years: t, rate: 0.03, dividend: 0.01, value: v });
    const priced = new OptionBatch(rows.length);
    for (const r of rows) priced.add(r);
    expect(priced.priceGreeks()).toBe(rows.length);
    const solve = new OptionBatch(rows.length);
    rows.forEach((r, i) => solve.add({ ...r, value: priced.greeksOf(i).price }));
    solve.impliedVols();
    const again = new OptionBatch(rows.length);
    let solved = 0;
    const bad: string[] = [];
    rows.forEach((r, i) => {
      const code = optionCodeName(solve.codes[i]!);
      const p = priced.greeksOf(i).price;
      // Where the time value is below what a double resolves next to the price, no vol can be told apart.
      const f = r.model === 'bsm' ? r.underlying * Math.exp((r.rate - r.dividend) * r.years) : r.underlying;
      const df = Math.exp(-r.rate * r.years);
      const timeValue = p - df * Math.max(r.right === 'call' ? f - r.strike : r.strike - f, 0);
      if (code !== 'OK') {
        if (timeValue > 1e-12 * r.underlying) bad.push(`${JSON.stringify(r)}: ${code} for price ${p} (time value ${timeValue})`);
        again.add({ ...r, value: r.value });
        return;
      }
      solved++;
      again.add({ ...r, value: solve.vols[i]! });
    });
    again.priceGreeks();
    rows.forEach((r, i) => {
      if (solve.codes[i] !== 0) return;
      const p = priced.greeksOf(i).price;
      const back = again.greeksOf(i).price;
      if (Math.abs(back - p) > 1e-9 * Math.max(p, 1e-12 * r.underlying)) bad.push(`${JSON.stringify(r)}: price ${p} -> vol ${solve.vols[i]} -> ${back}`);
      // Where the price is sensitive to vol at all, the vol itself comes back.
      if (priced.greeksOf(i).vega * r.value > 1e-6 * p && p > 1e-200 && Math.abs(solve.vols[i]! - r.value) > 1e-9 * r.value) bad.push(`${JSON.stringify(r)}: vol ${r.value} -> ${solve.vols[i]}`);
    });
    expect(bad).toEqual([]);
    // 1,792 rows; those deep in the money at low vol and short expiry have no time value left to solve for.
    expect(solved).toBeGreaterThan(rows.length * 0.85);
  });

  it('returns a code per bad row, never a throw, and leaves the good rows of the batch alone', () => {
    const ok: OptionRow = { model: 'bsm', right: 'call', underlying: 100, strike: 100, years: 1, rate: 0.05, dividend: 0, value: 0.2 };
    const b = new OptionBatch(16);
    const cases: [Partial<OptionRow>, string][] = [
      [{}, 'OK'],
      [{ underlying: Number.NaN }, 'BAD_UNDERLYING_OR_STRIKE'],
      [{ strike: -1 }, 'BAD_UNDERLYING_OR_STRIKE'],
      [{ years: -0.1 }, 'BAD_TIME'],
      [{ years: 0 }, 'ZERO_TIME'],
      [{ rate: Number.POSITIVE_INFINITY }, 'BAD_RATE'],
      [{ value: Number.NaN }, 'BAD_VOL'],
      [{ value: -0.2 }, 'BAD_VOL'],
      [{}, 'OK'],
    ];
    for (const [over] of cases) b.add({ ...ok, ...over });
    // A model or right the binding does not know, written straight into the row.
    const bad = b.add(ok);
    b.input[bad * 8] = 7;
    expect(b.priceGreeks()).toBe(2);
    expect([...b.codes.subarray(0, b.size)].map(optionCodeName)).toEqual([...cases.map(([, c]) => c), 'BAD_KIND']);
    expect(b.greeksOf(0)).toEqual(b.greeksOf(8));
    // At expiry the price slot holds the intrinsic value.
    const atExpiry = new OptionBatch(1);
    atExpiry.add({ ...ok, underlying: 110, years: 0 });
    atExpiry.priceGreeks();
    expect(atExpiry.greeksOf(0).price).toBe(10);

    const iv = new OptionBatch(8);
    const intrinsic = 100 - 80 * Math.exp(-0.05);
    for (const value of [10.45, intrinsic - 0.01, 100, Number.NaN, 0, -1]) iv.add({ ...ok, strike: value === 10.45 ? 100 : 80, value });
    iv.add({ ...ok, years: 0, value: 5 });
    expect(iv.impliedVols()).toBe(1);
    expect([...iv.codes.subarray(0, iv.size)].map(optionCodeName)).toEqual(['OK', 'BELOW_INTRINSIC', 'ABOVE_MAXIMUM', 'BAD_PRICE', 'BAD_PRICE', 'BAD_PRICE', 'ZERO_TIME']);
    expect([...iv.vols.subarray(1, iv.size)].every(Number.isNaN)).toBe(true);
  });
});
