import { ERR_UNKNOWN_INSTRUMENT } from './errors.js';
import type { InstrumentConfig, PlatformConfig } from './schema.js';

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
}

export function toInstrument(c: InstrumentConfig): Instrument {
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
  };
}

/** Symbol -> instrument lookup over the configured instrument master. */
export class InstrumentRegistry {
  private readonly bySymbol = new Map<string, Instrument>();

  constructor(instruments: readonly InstrumentConfig[]) {
    for (const i of instruments) this.bySymbol.set(i.symbol, toInstrument(i));
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
}
