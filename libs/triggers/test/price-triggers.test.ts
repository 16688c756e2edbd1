import { describe, expect, it } from 'vitest';
import { seededRandom } from '@hft/testing';
import { gapUnits, PriceTriggers, type TrailingGap, type TriggerDirection } from '../src/index.js';


interface Model {
  id: string;
  direction: TriggerDirection;
  trailing: boolean;
  level: number;
  extreme: number;
  gap: TrailingGap;
}

/** The plain definition, one order at a time: what the index must agree with on every price. */
function modelPrice(orders: Map<string, Model>, p: number): Set<string> {
  const fired = new Set<string>();
  for (const o of orders.values()) {
    if (o.trailing) {
      o.extreme = o.direction === 'fall' ? Math.max(o.extreme, p) : Math.min(o.extreme, p);
      o.level = o.direction === 'fall' ? o.extreme - gapUnits(o.gap, o.extreme) : o.extreme + gapUnits(o.gap, o.extreme);
    }
    if (o.direction === 'fall' ? p <= o.level : p >= o.level) fired.add(o.id);
  }
  for (const id of fired) orders.delete(id);
  return fired;
}

describe('PriceTriggers', () => {
  it('a sell stop fires on exactly the tick at or through its level, also when the price gaps through it', () => {
    const t = new PriceTriggers();
    t.addFixed('stop', 'fall', 19_000);
    t.addFixed('mit', 'rise', 20_500); // a sell if-touched above the market
    const fired: [number, string][] = [];
    for (const p of [19_500, 19_001, 19_300, 18_700, 21_000]) t.onPrice(p, (id) => fired.push([p, id]));
    expect(fired).toEqual([
      [18_700, 'stop'],
      [21_000, 'mit'],
    ]);
    expect(t.size).toBe(0);
  });

  it('a trailing sell stop follows new highs only, and fires at the documented level (high - gap)', () => {
    const t = new PriceTriggers();
    t.addTrailing('trail', 'fall', 20_000, { units: 500 });
    const seen: string[] = [];
    for (const p of [20_200, 19_900, 20_600, 20_300]) {
      t.onPrice(p, (id) => seen.push(id));
      expect(seen).toEqual([]);
    }
    expect(t.state('trail')).toEqual({ direction: 'fall', level: 20_100, extreme: 20_600 });
    t.onPrice(20_101, (id) => seen.push(id));
    expect(seen).toEqual([]);
    t.onPrice(20_100, (id) => seen.push(id));
    expect(seen).toEqual(['trail']);
  });

  it('a trailing buy stop in basis points follows new lows, its gap rounded down to a whole unit', () => {
    const t = new PriceTriggers();
    t.addTrailing('b', 'rise', 10_005, { bps: 100 }); // 1% of 10,005 = 100.05 -> 100 units
    expect(t.state('b')).toEqual({ direction: 'rise', level: 10_105, extreme: 10_005 });
    t.onPrice(9_000, () => {});
    expect(t.state('b')).toEqual({ direction: 'rise', level: 9_090, extreme: 9_000 });
    const seen: string[] = [];
    t.onPrice(9_089, (id) => seen.push(id));
    t.onPrice(9_090, (id) => seen.push(id));
    expect(seen).toEqual(['b']);
  });

  it('a restart that adds a trailing order back with its high-water mark keeps its level', () => {
    const t = new PriceTriggers();
    t.addTrailing('x', 'fall', 20_000, { units: 300 });
    t.onPrice(21_000, () => {});
    const saved = t.state('x')!;
    const restarted = new PriceTriggers();
    restarted.addTrailing('x', 'fall', saved.extreme!, { units: 300 });
    expect(restarted.state('x')).toEqual(saved);
  });

  it('removed orders never fire; ids are unique across both directions', () => {
    const t = new PriceTriggers();
    t.addFixed('a', 'fall', 100);
    t.addTrailing('b', 'rise', 100, { units: 5 });
    expect(() => t.addFixed('b', 'fall', 90)).toThrow(/already held/);
    expect(t.remove('a')).toBe(true);
    expect(t.remove('b')).toBe(true);
    expect(t.remove('b')).toBe(false);
    const seen: string[] = [];
    for (const p of [50, 200]) t.onPrice(p, (id) => seen.push(id));
    expect(seen).toEqual([]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('agrees with the one-order-at-a-time definition on a random walk with gaps (seed %i)', (seed) => {
    const r = seededRandom(seed);
    const t = new PriceTriggers();
    const model = new Map<string, Model>();
    let price = 10_000;
    let n = 0;
    for (let tick = 0; tick < 1_500; tick++) {
      // Place a few orders around the price, cancel a few.
      for (let k = Math.floor(r() * 4); k > 0; k--) {
        const id = `o${++n}`;
        const direction: TriggerDirection = r() < 0.5 ? 'fall' : 'rise';
        if (r() < 0.5) {
          const level = price + Math.round((r() - 0.5) * 400);
          t.addFixed(id, direction, level);
          model.set(id, { id, direction, trailing: false, level, extreme: 0, gap: { units: 0 } });
        } else {
          const gap: TrailingGap = r() < 0.5 ? { units: 1 + Math.floor(r() * 200) } : { bps: 1 + Math.floor(r() * 300) };
          const extreme = price + Math.round((r() - 0.5) * 100);
          t.addTrailing(id, direction, extreme, gap);
          const level = direction === 'fall' ? extreme - gapUnits(gap, extreme) : extreme + gapUnits(gap, extreme);
          model.set(id, { id, direction, trailing: true, level, extreme, gap });
        }
      }
      if (model.size && r() < 0.3) {
        const victim = [...model.keys()][Math.floor(r() * model.size)]!;
        expect(t.remove(victim)).toBe(true);
        model.delete(victim);
      }
      // A walk with the odd gap of up to 3% either way.
      price = Math.max(100, price + Math.round((r() - 0.5) * (r() < 0.05 ? 600 : 60)));
      const fired = new Set<string>();
      t.onPrice(price, (id) => fired.add(id));
      expect(fired).toEqual(modelPrice(model, price));
      expect(t.size).toBe(model.size);
    }
    for (const o of model.values()) expect(t.state(o.id)).toEqual({ direction: o.direction, level: o.level, extreme: o.trailing ? o.extreme : null });
  });
});
