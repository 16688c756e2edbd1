import { describe, expect, it } from 'vitest';
import { ConditionalOrders, parseGtt, type ReleasedOrder } from '../src/index.js';

// AAPL: cents, whole shares.
const units = {
  price: (p: number): number | null => (Math.abs(Math.round(p * 100) - p * 100) < 1e-6 ? Math.round(p * 100) : null),
  quantity: (q: number): number | null => (Number.isInteger(q) ? q : null),
};
const seed = {
  type: 'MULTIPLE',
  quantity: 25,
  rules: [
    { strategy: 'ENTRY', trigger_type: 'ABOVE', trigger_price: 200 },
    { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: 220 },
    { strategy: 'STOPLOSS', trigger_type: 'IMMEDIATE', trigger_price: 190, trailing_gap: 5 },
  ],
  instrument: 'AAPL',
  transaction_type: 'BUY',
};

describe('parseGtt', () => {
  it("the source documents' example: entry above 200, then a target at 220 and a stop-loss from 190 trailing by 5", () => {
    const g = parseGtt(seed, 'g1', 'alice', units);
    expect(g.ok).toBe(true);
    if (!g.ok) return;
    expect(g.bracket).toEqual({
      id: 'g1',
      entry: { id: 'g1:entry', strategyId: 'alice', symbol: 'AAPL', side: 'buy', quantity: 25, kind: 'stop', triggerPrice: 20_000, triggerOn: 'last' },
      legs: [
        { kind: 'limit_if_touched', triggerPrice: 22_000, limitPrice: 22_000, triggerOn: 'last' },
        { kind: 'trailing_stop', triggerPrice: 19_000, trailing: { units: 500 }, triggerOn: 'last' },
      ],
    });

    // Run it: the entry at 200, a fill at 200.50, the stop trailing the high by $5, then hit.
    const released: ReleasedOrder[] = [];
    const c = new ConditionalOrders((o) => released.push(o));
    let last = 19_900;
    c.placeBracket(g.bracket, g.owner, () => last);
    for (last of [19_900, 19_990, 20_050]) c.onQuote('AAPL', { last });
    expect(released.map((r) => [r.parentId, r.side, r.orderType, r.quantity])).toEqual([['g1:entry', 'buy', 'market', 25]]);
    c.onEntryFill('g1', 25);
    expect(c.state('g1:leg1')).toEqual({ level: 19_550, extreme: 20_050 });
    for (last of [21_000, 20_600, 20_500]) c.onQuote('AAPL', { last });
    expect(released.at(-1)).toMatchObject({ parentId: 'g1:leg1', side: 'sell', orderType: 'market', quantity: 25, triggeredBy: { level: 20_500, price: 20_500 } });
    expect(c.size).toBe(0); // the target went with it
  });

  it('every bad field is named with why, and nothing is built', () => {
    const bad = (body: unknown): string[] => {
      const g = parseGtt(body, 'x', 'alice', units);
      return g.ok ? [] : g.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(bad({ ...seed, rules: seed.rules.slice(1) })).toContain('rules: needs exactly one ENTRY rule, has 0');
    expect(bad({ ...seed, rules: [seed.rules[0], { ...seed.rules[1], trigger_price: 195 }] })).toContain('rules.1.trigger_price: a BUY target must be above the entry 200');
    expect(bad({ ...seed, transaction_type: 'SELL' })).toEqual(['rules.1.trigger_price: a SELL target must be below the entry 200', 'rules.2.trigger_price: a SELL stop-loss must be above the entry 200']);
    expect(bad({ ...seed, rules: [{ ...seed.rules[0], trigger_price: 200.005 }, ...seed.rules.slice(1)] })).toEqual(['rules.0.trigger_price: 200.005 is not a whole number of ticks of AAPL']);
    expect(bad({ ...seed, quantity: 2.5 })).toEqual(['quantity: 2.5 is not a whole number of lots of AAPL']);
    expect(bad({ ...seed, rules: [{ ...seed.rules[0], trailing_gap: 1 }, ...seed.rules.slice(1)] })).toContain('rules.0.trailing_gap: only a STOPLOSS trails');
    expect(bad({ ...seed, colour: 'red' })[0]).toMatch(/colour/);
    expect(bad({ ...seed, type: 'SINGLE' })).toContain('rules: a SINGLE GTT has the ENTRY rule only');
    expect(bad('not json')).toHaveLength(1);
  });

  it('a SINGLE GTT is the entry alone; a sell entry below its price is a stop', () => {
    const g = parseGtt({ ...seed, type: 'SINGLE', transaction_type: 'SELL', rules: [{ strategy: 'ENTRY', trigger_type: 'BELOW', trigger_price: 180 }] }, 's', 'bob', units);
    expect(g.ok && g.bracket).toEqual({ id: 's', entry: { id: 's:entry', strategyId: 'bob', symbol: 'AAPL', side: 'sell', quantity: 25, kind: 'stop', triggerPrice: 18_000, triggerOn: 'last' }, legs: [] });
  });
});
