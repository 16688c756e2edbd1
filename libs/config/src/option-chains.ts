import type { z } from 'zod';
import { contractSymbol } from './option-symbols.js';
import type { InstrumentConfig, OptionChainConfig, OptionTermsConfig } from './schema.js';

// [[option_chains]] expand into ordinary option instruments. Strikes are counted in integer units of
// the underlying's price grid, so 0.1-step chains have no float drift and a typo cannot make millions.

const MAX_CONTRACTS_PER_CHAIN = 20_000;
type Path = (string | number)[];

/** `ctx` null: the config was validated already, expand only. */
function issue(ctx: z.RefinementCtx | null, path: Path, message: string): void {
  ctx?.addIssue({ code: 'custom', path, message });
}

/** `x` in whole units at `decimals`, or null when it is not on that grid. */
function wholeUnits(x: number, decimals: number): number | null {
  const u = x * 10 ** decimals;
  return Math.abs(u - Math.round(u)) > 1e-9 ? null : Math.round(u);
}

function checkUnderlying(name: string, u: InstrumentConfig | undefined, path: Path, ctx: z.RefinementCtx | null): u is InstrumentConfig {
  if (!u) issue(ctx, path, `unknown instrument ${name}: the underlying must be in [[instruments]]`);
  else if (u.option) issue(ctx, path, `${name} is an option contract; an underlying cannot be one`);
  return u !== undefined && !u.option;
}

export function expandOptionChains(chains: readonly OptionChainConfig[], instruments: readonly InstrumentConfig[], ctx: z.RefinementCtx | null): InstrumentConfig[] {
  const bySymbol = new Map(instruments.map((i) => [i.symbol, i]));
  const out: InstrumentConfig[] = [];
  chains.forEach((ch, idx) => {
    const at = (...p: Path): Path => ['option_chains', idx, ...p];
    const u = bySymbol.get(ch.underlying);
    if (!checkUnderlying(ch.underlying, u, at('underlying'), ctx)) return;
    const d = u.price_decimals;
    const onGrid = (k: 'from' | 'to' | 'step'): number | null => {
      const units = wholeUnits(ch.strikes[k], d);
      if (units === null) issue(ctx, at('strikes', k), `must be a whole number of units at ${d} decimals (the ${ch.underlying} price grid)`);
      return units;
    };
    const from = onGrid('from');
    const to = onGrid('to');
    const step = onGrid('step');
    if (from === null || to === null || step === null) return;
    if ((to - from) % step !== 0) return issue(ctx, at('strikes', 'to'), `to - from must be a whole number of steps (${ch.strikes.to} - ${ch.strikes.from} is not a multiple of ${ch.strikes.step})`);
    const root = ch.root ?? ch.underlying;
    if (!/^[A-Z0-9]{1,9}$/.test(root)) return issue(ctx, at('underlying'), `${root} cannot prefix contract symbols (1-9 chars of A-Z 0-9): give a root`);
    const dup = ch.expiries.findIndex((e, i) => ch.expiries.indexOf(e) !== i);
    if (dup >= 0) return issue(ctx, at('expiries', dup), `expiry ${ch.expiries[dup]} is listed twice`);
    const strikes = (to - from) / step + 1;
    const rights = [...new Set(ch.rights)];
    const total = strikes * ch.expiries.length * rights.length;
    if (total > MAX_CONTRACTS_PER_CHAIN) return issue(ctx, at('strikes'), `${total} contracts; a chain holds at most ${MAX_CONTRACTS_PER_CHAIN}`);
    const longest = contractSymbol(root, ch.expiries[0]!, 'call', to, d);
    if (longest.length > 16) return issue(ctx, at(ch.root ? 'root' : 'underlying'), `contract symbol ${longest} has ${longest.length} characters, the wire carries 16: give a shorter root`);
    for (const expiry of ch.expiries) {
      for (let k = from; k <= to; k += step) {
        for (const right of rights) {
          out.push({
            symbol: contractSymbol(root, expiry, right, k, d),
            price_decimals: ch.price_decimals,
            tick_size: ch.tick_size,
            qty_decimals: ch.qty_decimals,
            lot_size: ch.lot_size,
            option: { underlying: ch.underlying, expiry, strike: k / 10 ** d, right, multiplier: ch.multiplier, expiry_time: ch.expiry_time, timezone: ch.timezone },
          });
        }
      }
    }
  });
  return out;
}

/** An explicit option instrument: its underlying exists and is not an option; its strike is on the underlying's grid. */
export function checkOptionTerms(o: OptionTermsConfig, bySymbol: ReadonlyMap<string, InstrumentConfig>, path: Path, ctx: z.RefinementCtx): void {
  const u = bySymbol.get(o.underlying);
  if (!checkUnderlying(o.underlying, u, [...path, 'underlying'], ctx)) return;
  if (wholeUnits(o.strike, u.price_decimals) === null) {
    issue(ctx, [...path, 'strike'], `must be a whole number of units at ${u.price_decimals} decimals (the ${o.underlying} price grid)`);
  }
}
