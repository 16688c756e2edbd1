import { InstrumentRegistry, loadConfig } from '@hft/config';
import type { OptionChainSnapshot } from '@hft/messages';
import { OptionBatch } from '@hft/native';
import { ChainAnalytics, OptionChainState, YEAR_MS } from '@hft/options';

/**
 * A chain snapshot of the shipped AAPL chain as market-data would publish it: every contract quoted a
 * cent either side of its Black-Scholes-Merton value at `vol` with the underlying at `spot`, open
 * interest `oi` each, valued by the real analytics at `nowMs`.
 */
export function aaplChainSnapshot(o: { spot?: number; vol?: number; oi?: number; nowMs?: number } = {}): OptionChainSnapshot {
  const spot = o.spot ?? 187.5;
  const now = o.nowMs ?? Date.parse('2026-03-02T15:00:00Z');
  const registry = InstrumentRegistry.fromConfig(loadConfig({ env: {} }));
  const state = new OptionChainState(registry.get('AAPL'), registry);
  const b = new OptionBatch(state.contracts.length);
  for (const c of state.contracts) b.add({ model: 'bsm', right: c.option!.right, underlying: spot, strike: c.option!.strike, years: (c.option!.expiresAtMs - now) / YEAR_MS, rate: 0.04, dividend: 0, value: o.vol ?? 0.25 });
  b.priceGreeks();
  state.contracts.forEach((_, i) => {
    const cents = Math.round(b.greeksOf(i).price * 100);
    state.bbo.set(cents > 1 ? [cents - 1, 10, cents + 1, 10] : [0, 0, 1, 10], 4 * i);
    state.onOpenInterest(i, o.oi ?? 1000, 1n);
  });
  const s = Math.round(spot * 100);
  state.bbo.set([s - 1, 100, s + 1, 100], 4 * state.contracts.length);
  return { ...new ChainAnalytics(state).snapshot({ rate: 0.04, dividendYield: 0 }, now, BigInt(now) * 1_000_000n), seq: 1 };
}
