import { Position, type FillSide, type PositionScales, type PositionState } from './position.js';

/** Positions by strategy and symbol, each in its instrument's quantity units. */
export class PositionBook {
  private readonly byStrategy = new Map<string, Map<string, Position>>();

  /** `scales(symbol)`: the symbol's quantity scale (10^qty_decimals) and price decimals. */
  constructor(private readonly scales: (symbol: string) => number | PositionScales) {}

  get(strategy: string, symbol: string): Position {
    let bySymbol = this.byStrategy.get(strategy);
    if (!bySymbol) {
      bySymbol = new Map();
      this.byStrategy.set(strategy, bySymbol);
    }
    let p = bySymbol.get(symbol);
    if (!p) {
      p = new Position(symbol, this.scales(symbol));
      bySymbol.set(symbol, p);
    }
    return p;
  }

  find(strategy: string, symbol: string): Position | undefined {
    return this.byStrategy.get(strategy)?.get(symbol);
  }

  onFill(strategy: string, symbol: string, side: FillSide, px: number, qty: number, fee: number): Position {
    const p = this.get(strategy, symbol);
    p.onFill(side, px, qty, fee);
    return p;
  }

  restore(strategy: string, symbol: string, s: PositionState): void {
    this.get(strategy, symbol).restore(s);
  }

  /** Every position of one strategy (or of all), strategy then symbol order. */
  list(strategy?: string): { strategy: string; position: Position }[] {
    const out: { strategy: string; position: Position }[] = [];
    const ids = strategy === undefined ? [...this.byStrategy.keys()].sort() : [strategy];
    for (const s of ids) {
      const bySymbol = this.byStrategy.get(s);
      if (!bySymbol) continue;
      for (const sym of [...bySymbol.keys()].sort()) out.push({ strategy: s, position: bySymbol.get(sym)! });
    }
    return out;
  }
}
