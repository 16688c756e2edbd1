import type { InstrumentRegistry } from '@hft/config';
import type { ChainExpiry, OptionChainSnapshot, OptionQuoteAnalytics } from '@hft/messages';

/** One contract as the greeks API and stream show it: its terms, the chain's spot, and its analytics. */
export interface GreeksView extends OptionQuoteAnalytics {
  underlying: string;
  expiry: string;
  strike: number;
  right: 'call' | 'put';
  spot: number | null;
  tsEvent: string;
}

/** A snapshot as JSON clients get it: nanosecond times as decimal strings (as on the wire). */
export type ChainView = Omit<OptionChainSnapshot, 'tsEvent' | 'tsInit'> & { tsEvent: string; tsInit: string };

/** The latest md.chain.<UNDERLYING> snapshot of each underlying, indexed by contract. */
export class OptionsView {
  private readonly chains = new Map<string, ChainView>();
  private readonly contracts = new Map<string, GreeksView>();

  constructor(private readonly registry: InstrumentRegistry) {}

  /** Returns the contracts of the snapshot as greeks views (for the greeks stream). */
  onSnapshot(s: OptionChainSnapshot): GreeksView[] {
    this.chains.set(s.underlying, { ...s, tsEvent: s.tsEvent.toString(), tsInit: s.tsInit.toString() });
    const out: GreeksView[] = [];
    for (const e of s.expiries) {
      for (const k of e.strikes) {
        for (const [right, q] of [['call', k.call], ['put', k.put]] as const) {
          if (!q) continue;
          const v: GreeksView = { ...q, underlying: s.underlying, expiry: e.expiry, strike: k.strike, right, spot: s.spot, tsEvent: s.tsEvent.toString() };
          this.contracts.set(q.symbol, v);
          out.push(v);
        }
      }
    }
    return out;
  }

  /** The chain, or only one expiry of it; null when no snapshot has arrived. */
  chain(underlying: string, expiry?: string): (Omit<ChainView, 'expiries'> & { expiries: ChainExpiry[] }) | null {
    const s = this.chains.get(underlying);
    if (!s) return null;
    return expiry ? { ...s, expiries: s.expiries.filter((e) => e.expiry === expiry) } : s;
  }

  greeks(symbol: string): GreeksView | null {
    return this.contracts.get(symbol) ?? null;
  }

  /** Listed expiries of an underlying (from the instrument master, not the snapshots). */
  expiries(underlying: string): string[] {
    return [...new Set(this.registry.optionsOn(underlying).map((i) => i.option!.expiry))];
  }

  /** What a 1-minute candle carries beyond OHLCV: an option's OI and IV, an underlying's walls and GEX. */
  candleExtras(symbol: string): Record<string, number | null> {
    const c = this.contracts.get(symbol);
    if (c) return { openInterest: c.openInterest, iv: c.iv };
    const s = this.chains.get(symbol);
    if (s) return { atmIv: s.totals.atmIv, callWall: s.totals.callWall, putWall: s.totals.putWall, gex: s.totals.gex };
    return {};
  }
}
