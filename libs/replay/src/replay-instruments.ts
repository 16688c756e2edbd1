import type { Instrument, InstrumentRegistry } from '@hft/config';

/** The instruments of one replay, indexed densely so ticks carry a small integer, not a string. */
export class ReplayInstruments {
  readonly list: Instrument[];
  private readonly index = new Map<string, number>();

  constructor(registry: InstrumentRegistry) {
    this.list = registry.all();
    this.list.forEach((i, k) => this.index.set(i.symbol, k));
  }

  indexOf(symbol: string): number | undefined {
    return this.index.get(symbol);
  }

  /** Exact symbol, or the one that matches without separators (Binance "BTCUSDT" -> "BTC-USDT"). */
  resolve(name: string): number | undefined {
    const exact = this.index.get(name);
    if (exact !== undefined) return exact;
    const flat = name.replace(/[-_.]/g, '').toUpperCase();
    const hit = this.list.findIndex((i) => i.symbol.replace(/[-_.]/g, '') === flat);
    return hit >= 0 ? hit : undefined;
  }
}
