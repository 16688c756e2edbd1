// Trigger check per tick: the same walk of 200,000 prices over 10 and over 10,000 resting conditional
// orders on one symbol (stops and if-touched both ways, trailing stops in units and bps), and the plain
// scan of every order per tick over 10,000 in the same run. Run: npx nx run triggers:bench
import { seededRandom } from '@hft/testing';
import { PriceTriggers, type TrailingGap, type TriggerDirection } from '../src/index.js';

const TICKS = 200_000;
const START = 20_000; // $200.00 in cents


interface Spec {
  id: string;
  direction: TriggerDirection;
  level: number | null;
  gap: TrailingGap | null;
}
/** Orders resting 3-6% away (levels or trailing gaps), so the walk below (within 1.5%) rarely reaches them. */
function orders(n: number, r: () => number): Spec[] {
  return Array.from({ length: n }, (_, i) => {
    const direction: TriggerDirection = i % 2 ? 'fall' : 'rise';
    const away = Math.round(START * (0.03 + r() * 0.03));
    if (i % 4 < 2) return { id: `o${i}`, direction, level: direction === 'fall' ? START - away : START + away, gap: null };
    return { id: `o${i}`, direction, level: null, gap: i % 8 < 4 ? { units: away } : { bps: Math.round((away / START) * 10_000) } };
  });
}
const walk = (r: () => number): Int32Array => {
  const out = new Int32Array(TICKS);
  let p = START;
  for (let i = 0; i < TICKS; i++) {
    p += Math.round((r() - 0.5) * 6);
    p = Math.min(START * 1.015, Math.max(START * 0.985, p));
    out[i] = Math.round(p);
  }
  return out;
};

function indexed(specs: Spec[], prices: Int32Array): { nsPerTick: number; fired: number } {
  const t = new PriceTriggers();
  for (const s of specs) {
    if (s.gap) t.addTrailing(s.id, s.direction, START, s.gap);
    else t.addFixed(s.id, s.direction, s.level!);
  }
  let fired = 0;
  const onFire = (): void => void fired++;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < prices.length; i++) t.onPrice(prices[i]!, onFire);
  return { nsPerTick: Number(process.hrtime.bigint() - t0) / prices.length, fired };
}

/** The same orders checked one by one on every tick, from typed arrays: what an index saves. */
function scanned(specs: Spec[], prices: Int32Array): { nsPerTick: number; fired: number } {
  const n = specs.length;
  const fall = Uint8Array.from(specs, (o) => (o.direction === 'fall' ? 1 : 0));
  const trailing = Uint8Array.from(specs, (o) => (o.gap ? 1 : 0));
  const bps = Float64Array.from(specs, (o) => (o.gap && 'bps' in o.gap ? o.gap.bps : 0));
  const units = Float64Array.from(specs, (o) => (o.gap && 'units' in o.gap ? o.gap.units : 0));
  const extreme = new Float64Array(n).fill(START);
  const level = Float64Array.from(specs, (o) => o.level ?? 0);
  const done = new Uint8Array(n);
  let fired = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < prices.length; i++) {
    const p = prices[i]!;
    for (let j = 0; j < n; j++) {
      if (done[j]) continue;
      const f = fall[j] === 1;
      if (trailing[j]) {
        const h = f ? Math.max(extreme[j]!, p) : Math.min(extreme[j]!, p);
        extreme[j] = h;
        const gap = units[j]! > 0 ? units[j]! : Math.floor((h * bps[j]!) / 10_000);
        level[j] = f ? h - gap : h + gap;
      }
      if (f ? p <= level[j]! : p >= level[j]!) {
        done[j] = 1;
        fired++;
      }
    }
  }
  return { nsPerTick: Number(process.hrtime.bigint() - t0) / prices.length, fired };
}

const prices = walk(seededRandom(7));
const few = orders(10, seededRandom(1));
const many = orders(10_000, seededRandom(1));
// Five rounds, alternating, after a warm-up of both: the median of each (the first rounds carry JIT tiers).
indexed(few, prices.subarray(0, 20_000));
indexed(many, prices.subarray(0, 20_000));
const median = (xs: { nsPerTick: number; fired: number }[]): { nsPerTick: number; fired: number } => [...xs].sort((x, y) => x.nsPerTick - y.nsPerTick)[xs.length >> 1]!;
const rounds = Array.from({ length: 5 }, () => [indexed(few, prices), indexed(many, prices)] as const);
const a = median(rounds.map((x) => x[0]));
const b = median(rounds.map((x) => x[1]));
const s = scanned(many, prices.subarray(0, 20_000));
console.log(`trigger check per tick (${TICKS.toLocaleString('en-US')} prices, one symbol; stops, if-touched and trailing stops both ways; median of 5 rounds)`);
console.log(`  10 resting orders       ${a.nsPerTick.toFixed(0).padStart(7)} ns/tick  (${a.fired} fired)`);
console.log(`  10,000 resting orders   ${b.nsPerTick.toFixed(0).padStart(7)} ns/tick  (${b.fired} fired)  -> ${(b.nsPerTick / a.nsPerTick).toFixed(2)}x the cost with 10 (goal <= 2x)`);
console.log(`  10,000 scanned per tick ${s.nsPerTick.toFixed(0).padStart(7)} ns/tick  (first 20,000 prices)  -> ${(s.nsPerTick / b.nsPerTick).toFixed(0)}x the index`);
