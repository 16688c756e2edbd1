import { ERR_UNKNOWN_INSTRUMENT } from './errors.js';
import { occSymbol, type OptionRight } from './option-symbols.js';
import type { InstrumentConfig, PlatformConfig } from './schema.js';
import { zonedInstantMs } from './zoned-time.js';

/** The terms of an option contract. */
export interface OptionTerms {
  underlying: string;
  /** Expiry date, YYYY-MM-DD. */
  expiry: string;
  /** When it expires: the expiry date at the configured local time and zone, epoch ms. */
  expiresAtMs: number;
  /** Strike as a decimal, and in integer units of the underlying's price grid. */
  strike: number;
  strikeUnits: number;
  right: OptionRight;
  /** Units of the underlying per contract. */
  multiplier: number;
  /** OCC/OSI symbol ("AAPL  260320C00187500"), null when the contract does not fit its fields. */
  occSymbol: string | null;
}

/**
 * An instrument with its integer grid: prices travel as `price * 10^priceDecimals` units and must be a
 * multiple of `tickUnits`; quantities likewise with `qtyDecimals` / `lotUnits`.
 */
export interface Instrument {
  symbol: string;
  priceDecimals: number;
  qtyDecimals: number;
  priceScale: number;
  qtyScale: number;
  tickUnits: number;
  lotUnits: number;
  /** Set for option contracts. */
  option?: OptionTerms;
}

/** `underlying`: the underlying's config, for an option contract (its strike is in the underlying's units). */
export function toInstrument(c: InstrumentConfig, underlying?: InstrumentConfig): Instrument {
  const priceScale = 10 ** c.price_decimals;
  const qtyScale = 10 ** c.qty_decimals;
  return {
    symbol: c.symbol,
    priceDecimals: c.price_decimals,
    qtyDecimals: c.qty_decimals,
    priceScale,
    qtyScale,
    tickUnits: Math.round(c.tick_size * priceScale),
    lotUnits: Math.round(c.lot_size * qtyScale),
    ...(c.option && { option: optionTerms(c.option, underlying?.price_decimals ?? c.price_decimals, c.symbol) }),
  };
}

function optionTerms(o: NonNullable<InstrumentConfig['option']>, underlyingDecimals: number, symbol: string): OptionTerms {
  const root = /^[A-Z0-9]+?(?=\d{6}[CP])/.exec(symbol)?.[0] ?? o.underlying;
  return {
    underlying: o.underlying,
    expiry: o.expiry,
    expiresAtMs: zonedInstantMs(o.expiry, o.expiry_time, o.timezone),
    strike: o.strike,
    strikeUnits: Math.round(o.strike * 10 ** underlyingDecimals),
    right: o.right,
    multiplier: o.multiplier,
    occSymbol: occSymbol(root, o.expiry, o.right, o.strike),
  };
}

/** Symbol -> instrument lookup over the configured instrument master. */
const NONE: readonly Instrument[] = [];

export class InstrumentRegistry {
  private readonly bySymbol = new Map<string, Instrument>();
  private byUnderlying: Map<string, Instrument[]> | null = null;

  constructor(instruments: readonly InstrumentConfig[]) {
    const configs = new Map(instruments.map((i) => [i.symbol, i]));
    for (const i of instruments) this.bySymbol.set(i.symbol, toInstrument(i, i.option && configs.get(i.option.underlying)));
  }

  static fromConfig(cfg: PlatformConfig): InstrumentRegistry {
    return new InstrumentRegistry(cfg.instruments);
  }

  get(symbol: string): Instrument {
    const i = this.bySymbol.get(symbol);
    if (!i) throw ERR_UNKNOWN_INSTRUMENT(symbol, [...this.bySymbol.keys()]);
    return i;
  }

  find(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  all(): Instrument[] {
    return [...this.bySymbol.values()];
  }

  /** The option contracts on `underlying`, by expiry, strike, then call before put (empty: none listed). */
  optionsOn(underlying: string): readonly Instrument[] {
    if (!this.byUnderlying) {
      // Built once: risk asks this for every order in an underlying.
      this.byUnderlying = new Map();
      for (const i of this.bySymbol.values()) {
        if (!i.option) continue;
        const list = this.byUnderlying.get(i.option.underlying) ?? [];
        list.push(i);
        this.byUnderlying.set(i.option.underlying, list);
      }
      for (const list of this.byUnderlying.values()) {
        list.sort((a, b) => a.option!.expiresAtMs - b.option!.expiresAtMs || a.option!.strikeUnits - b.option!.strikeUnits || (a.option!.right === 'call' ? -1 : 1));
      }
    }
    return this.byUnderlying.get(underlying) ?? NONE;
  }
}
