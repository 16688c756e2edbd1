import { describe, expect, it } from 'vitest';
import { ConditionalOrders, directionOf, type ConditionalSpec, type ReleasedOrder } from '../src/index.js';

const base = { strategyId: 's1', symbol: 'AAPL', quantity: 10, triggerOn: 'last' as const };
function book(): { c: ConditionalOrders; released: ReleasedOrder[]; cancelled: [string, string][] } {
  const released: ReleasedOrder[] = [];
  const cancelled: [string, string][] = [];
  return { c: new ConditionalOrders((o) => released.push(o), (id, why) => cancelled.push([id, why])), released, cancelled };
}

describe('ConditionalOrders', () => {
  it('directions: stops buy on a rise and sell on a fall, if-touched orders the other way', () => {
    expect(directionOf('stop', 'buy')).toBe('rise');
    expect(directionOf('stop_limit', 'sell')).toBe('fall');
    expect(directionOf('trailing_stop', 'sell')).toBe('fall');
    expect(directionOf('market_if_touched', 'buy')).toBe('fall');
    expect(directionOf('limit_if_touched', 'sell')).toBe('rise');
  });

  it('a buy stop releases a market order on the tick that reaches its level, not before, and a gap through it fires at the gap price', () => {
    const { c, released } = book();
    c.place({ ...base, id: 'a', side: 'buy', kind: 'stop', triggerPrice: 20_000 });
    c.onQuote('AAPL', { last: 19_999 });
    expect(released).toEqual([]);
    c.onQuote('AAPL', { last: 20_150 });
    expect(released).toEqual([{ parentId: 'a', strategyId: 's1', symbol: 'AAPL', side: 'buy', quantity: 10, orderType: 'market', price: null, triggeredBy: { source: 'last', price: 20_150, level: 20_000 } }]);
    c.onQuote('AAPL', { last: 20_300 });
    expect(released).toHaveLength(1);
    expect(c.cancel('a')).toBe(false);
  });

  it('limit children: stop-limit and limit-if-touched carry their limit; a trailing stop-limit its level minus the offset', () => {
    const { c, released } = book();
    c.place({ ...base, id: 'sl', side: 'sell', kind: 'stop_limit', triggerPrice: 19_000, limitPrice: 18_950 });
    c.place({ ...base, id: 'lit', side: 'buy', kind: 'limit_if_touched', triggerPrice: 19_500, limitPrice: 19_510 });
    c.place({ ...base, id: 'tsl', side: 'sell', kind: 'trailing_stop_limit', trailing: { units: 300 }, limitOffset: 20 }, 20_000);
    c.onQuote('AAPL', { last: 20_400 }); // the trail moves up to 20,100
    expect(c.state('tsl')).toEqual({ level: 20_100, extreme: 20_400 });
    c.onQuote('AAPL', { last: 20_050 });
    c.onQuote('AAPL', { last: 19_400 });
    c.onQuote('AAPL', { last: 18_990 });
    expect(released.map((r) => [r.parentId, r.orderType, r.price, r.triggeredBy.price, r.triggeredBy.level])).toEqual([
      ['tsl', 'limit', 20_080, 20_050, 20_100],
      ['lit', 'limit', 19_510, 19_400, 19_500],
      ['sl', 'limit', 18_950, 18_990, 19_000],
    ]);
  });

  it('one-cancels-other: the first of a group to trigger is released, the others are cancelled and never released', () => {
    const { c, released, cancelled } = book();
    c.place({ ...base, id: 'target', side: 'sell', kind: 'limit_if_touched', triggerPrice: 22_000, limitPrice: 22_000, ocoGroup: 'g' });
    c.place({ ...base, id: 'stop', side: 'sell', kind: 'stop', triggerPrice: 19_000, ocoGroup: 'g' });
    c.onQuote('AAPL', { last: 22_100 });
    c.onQuote('AAPL', { last: 18_000 });
    expect(released.map((r) => r.parentId)).toEqual(['target']);
    expect(cancelled).toEqual([['stop', 'oco']]);
    expect(c.size).toBe(0);
  });

  it('two members of a group crossed by the same price: one is released', () => {
    const { c, released, cancelled } = book();
    c.place({ ...base, id: 'x', side: 'sell', kind: 'stop', triggerPrice: 19_000, ocoGroup: 'g' });
    c.place({ ...base, id: 'y', side: 'sell', kind: 'stop', triggerPrice: 19_500, ocoGroup: 'g' });
    c.onQuote('AAPL', { last: 18_000 });
    expect(released.map((r) => r.parentId)).toEqual(['y']);
    expect(cancelled).toEqual([['x', 'oco']]);
  });

  it('orders on the bid, the ask or the mid watch only that price; the mid may fall on a half unit', () => {
    const { c, released } = book();
    c.place({ ...base, id: 'bid', side: 'sell', kind: 'stop', triggerPrice: 19_000, triggerOn: 'bid' });
    c.place({ ...base, id: 'mid', side: 'buy', kind: 'stop', triggerPrice: 20_001, triggerOn: 'mid' });
    c.onQuote('AAPL', { last: 18_000 });
    expect(released).toEqual([]);
    c.onQuote('AAPL', { bid: 20_000, ask: 20_001 }); // mid 20,000.5: not yet
    expect(released).toEqual([]);
    c.onQuote('AAPL', { ask: 20_002 }); // mid 20,001
    c.onQuote('AAPL', { bid: 18_999 });
    expect(released.map((r) => [r.parentId, r.triggeredBy.source, r.triggeredBy.price])).toEqual([
      ['mid', 'mid', 20_001],
      ['bid', 'bid', 18_999],
    ]);
  });

  it('a kill-switch cancels every waiting order of its scope', () => {
    const { c, cancelled } = book();
    c.place({ ...base, id: 'a', side: 'buy', kind: 'stop', triggerPrice: 21_000 });
    c.place({ ...base, id: 'b', side: 'sell', kind: 'stop', triggerPrice: 19_000, strategyId: 's2' });
    c.place({ ...base, id: 'c', side: 'sell', kind: 'trailing_stop', trailing: { bps: 100 } }, 20_000);
    expect(c.cancelWhere((s) => s.strategyId === 's1').sort()).toEqual(['a', 'c']);
    expect(cancelled.map(([id, why]) => `${id}:${why}`).sort()).toEqual(['a:cancel', 'c:cancel']);
    expect(c.size).toBe(1);
  });

  it('is deterministic: the same quotes release the same orders in the same order', () => {
    const run = (): string[] => {
      const { c, released } = book();
      const specs: ConditionalSpec[] = Array.from({ length: 200 }, (_, i) => ({ ...base, id: `o${i}`, side: i % 2 ? 'buy' : 'sell', kind: i % 3 ? 'stop' : 'market_if_touched', triggerPrice: 19_000 + ((i * 37) % 2_000) }));
      for (const s of specs) c.place(s);
      for (let p = 20_000, i = 0; i < 400; i++) c.onQuote('AAPL', { last: (p += ((i * 7919) % 41) - 20) });
      return released.map((r) => `${r.parentId}@${r.triggeredBy.price}`);
    };
    expect(run()).toEqual(run());
    expect(run().length).toBeGreaterThan(50);
  });
});

describe('brackets', () => {
  const legs = [
    { kind: 'limit_if_touched' as const, triggerPrice: 22_000, limitPrice: 22_000, triggerOn: 'last' as const },
    { kind: 'trailing_stop' as const, trailing: { units: 500 }, triggerOn: 'last' as const },
  ];
  const owner = { strategyId: 's1', symbol: 'AAPL', side: 'buy' as const };

  it('the legs appear only after the entry fills, sized to what filled, and grow with later fills', () => {
    const { c, released } = book();
    let last = 20_000;
    c.placeBracket({ id: 'b', entry: { ...base, id: 'b:entry', side: 'buy', kind: 'stop', triggerPrice: 20_000, quantity: 25 }, legs }, owner, () => last);
    c.onQuote('AAPL', { last: 22_500 });
    // The entry fired; the target's level was crossed before any fill, and nothing fires for it.
    expect(released.map((r) => r.parentId)).toEqual(['b:entry']);
    expect(c.get('b:leg0')).toBeUndefined();
    last = 20_100;
    c.onQuote('AAPL', { last });
    c.onEntryFill('b', 10);
    expect(c.get('b:leg0')).toMatchObject({ side: 'sell', quantity: 10, ocoGroup: 'b:legs' });
    expect(c.state('b:leg1')).toEqual({ level: 19_600, extreme: 20_100 });
    c.onQuote('AAPL', { last: 20_700 });
    c.onEntryFill('b', 25);
    expect(c.get('b:leg1')).toMatchObject({ quantity: 25 });
    expect(c.state('b:leg1')).toEqual({ level: 20_200, extreme: 20_700 }); // the trail carried over
    c.onQuote('AAPL', { last: 20_150 });
    expect(released.at(-1)).toMatchObject({ parentId: 'b:leg1', side: 'sell', quantity: 25, orderType: 'market', triggeredBy: { level: 20_200 } });
    expect(c.get('b:leg0')).toBeUndefined(); // cancelled with it (OCO)
    c.onEntryFill('b', 30);
    expect(c.size).toBe(0); // a later fill places nothing once a leg has fired
  });

  it('a kill-switch before the entry fills leaves no leg to appear afterwards', () => {
    const { c } = book();
    c.placeBracket({ id: 'k', entry: null, legs }, owner, () => 20_000);
    c.cancelWhere((s) => s.strategyId === 's1');
    c.onEntryFill('k', 10);
    expect(c.size).toBe(0);
  });
});

describe('trailing stops with a trigger price (a GTT stop-loss with a trailing gap)', () => {
  it('the level starts at the trigger price and only follows the high once the high is a gap above it', () => {
    const { c, released } = book();
    c.place({ ...base, id: 'sl', side: 'sell', kind: 'trailing_stop', triggerPrice: 19_000, trailing: { units: 500 } }, 19_200);
    expect(c.state('sl')).toEqual({ level: 19_000, extreme: 19_500 });
    c.onQuote('AAPL', { last: 19_400 });
    expect(c.state('sl')).toEqual({ level: 19_000, extreme: 19_500 });
    c.onQuote('AAPL', { last: 20_000 });
    expect(c.state('sl')).toEqual({ level: 19_500, extreme: 20_000 });
    c.onQuote('AAPL', { last: 19_500 });
    expect(released).toMatchObject([{ parentId: 'sl', triggeredBy: { level: 19_500, price: 19_500 } }]);
  });

  it('a market already a gap past the trigger price trails from the market; a buy stop mirrors it with a ceiling', () => {
    const { c } = book();
    c.place({ ...base, id: 'sell', side: 'sell', kind: 'trailing_stop', triggerPrice: 19_000, trailing: { units: 500 } }, 20_000);
    expect(c.state('sell')).toEqual({ level: 19_500, extreme: 20_000 });
    c.place({ ...base, id: 'buy', side: 'buy', kind: 'trailing_stop', triggerPrice: 21_000, trailing: { units: 300 } }, 20_900);
    expect(c.state('buy')).toEqual({ level: 21_000, extreme: 20_700 });
  });

  it('with a gap in basis points the level starts at the first whole unit at or past the trigger price', () => {
    const { c } = book();
    c.place({ ...base, id: 'b', side: 'sell', kind: 'trailing_stop', triggerPrice: 19_000, trailing: { bps: 100 } });
    const s = c.state('b')!;
    expect(s.level - 19_000).toBeGreaterThanOrEqual(0);
    expect(s.level - 19_000).toBeLessThanOrEqual(1);
    expect(s.extreme! - Math.floor((s.extreme! * 100) / 10_000)).toBe(s.level);
  });
});
