import type { GreekLimitsConfig, Instrument, InstrumentRegistry } from '@hft/config';
import { DenyCode, OptionValueCode, type OptionChainSnapshot, type Side } from '@hft/messages';

/** Greeks of one unit of a position: an option contract's scaled by its multiplier; an underlying's delta is 1. */
interface UnitGreeks {
  delta: number;
  gamma: number;
  /** Currency per vol point. */
  vega: number;
}

/** The underlying itself: one unit is one unit of delta. */
const UNDERLYING_UNIT: UnitGreeks = { delta: 1, gamma: 0, vega: 0 };

const GREEKS = [
  ['delta', 'max_delta', DenyCode.MaxDelta],
  ['gamma', 'max_gamma', DenyCode.MaxGamma],
  ['vega', 'max_vega', DenyCode.MaxVega],
] as const;

/** A position or working order in one instrument of the underlying: quantities in instrument units (decimals). */
export interface Holding {
  symbol: string;
  position: number;
  workingBuy: number;
  workingSell: number;
}

export interface GreekDenial {
  code: DenyCode;
  reason: string;
  values: Record<string, number | string>;
}

/**
 * Portfolio greeks per underlying, for risk's pre-trade check. Greeks come from market-data's chain
 * snapshots; a contract keeps its last valued greeks when a later snapshot cannot value it (a deep
 * in-the-money quote below intrinsic), and one never valued makes a greek-limited order fail closed.
 */
export class GreekBook {
  private readonly unit = new Map<string, UnitGreeks>();

  constructor(
    private readonly instruments: InstrumentRegistry,
    private readonly limits: GreekLimitsConfig,
  ) {}

  onSnapshot(s: OptionChainSnapshot): void {
    for (const e of s.expiries) {
      for (const k of e.strikes) {
        for (const q of [k.call, k.put]) {
          if (!q || q.code !== OptionValueCode.Ok || !q.greeks) continue;
          const mult = this.instruments.find(q.symbol)?.option?.multiplier ?? 1;
          this.unit.set(q.symbol, { delta: q.greeks.delta * mult, gamma: q.greeks.gamma * mult, vega: (q.greeks.vega * mult) / 100 });
        }
      }
    }
  }

  /** The underlying whose greek limits an order in `inst` counts against, or null (no options on it). */
  underlyingOf(inst: Instrument): string | null {
    if (inst.option) return inst.option.underlying;
    return this.instruments.optionsOn(inst.symbol).length > 0 ? inst.symbol : null;
  }

  private unitOf(symbol: string, underlying: string): UnitGreeks | null {
    return symbol === underlying ? UNDERLYING_UNIT : (this.unit.get(symbol) ?? null);
  }

  private limit(key: 'max_delta' | 'max_gamma' | 'max_vega', scope: 'strategy' | 'underlying', id: string): number | undefined {
    const specific = scope === 'strategy' ? this.limits.strategies[id]?.[key] : this.limits.underlyings[id]?.[key];
    return specific ?? this.limits[scope][key];
  }

  private hasLimits(strategy: string, underlying: string): boolean {
    return GREEKS.some(([, key]) => this.limit(key, 'strategy', strategy) !== undefined || this.limit(key, 'underlying', underlying) !== undefined);
  }

  /**
   * Would the order take a greek of the strategy's book (`mine`) or of everyone's (`all`) in the
   * underlying past its limit? Working orders count in whichever direction is worse; an order that
   * only brings a greek back towards zero is let through even above the limit.
   */
  check(strategy: string, underlying: string, order: { symbol: string; side: Side; quantity: number }, mine: readonly Holding[], all: readonly Holding[]): GreekDenial | null {
    if (!this.hasLimits(strategy, underlying)) return null;
    for (const h of [order, ...all.filter((x) => x.position !== 0 || x.workingBuy !== 0 || x.workingSell !== 0)]) {
      if (!this.unitOf(h.symbol, underlying)) {
        return { code: DenyCode.GreeksUnavailable, reason: `no greeks for ${h.symbol} yet (no chain snapshot of ${underlying} has valued it); greek limits cannot be checked`, values: { symbol: h.symbol, underlying } };
      }
    }
    const signed = order.side === 'buy' ? order.quantity : -order.quantity;
    const ou = this.unitOf(order.symbol, underlying)!;
    for (const [greek, key, code] of GREEKS) {
      for (const [scope, id, book] of [
        ['strategy', strategy, mine],
        ['underlying', underlying, all],
      ] as const) {
        const max = this.limit(key, scope, id);
        if (max === undefined) continue;
        let base = 0;
        let up = 0;
        let down = 0;
        for (const h of book) {
          const g = this.unitOf(h.symbol, underlying)![greek];
          base += h.position * g;
          for (const w of [h.workingBuy * g, -h.workingSell * g]) {
            if (w > 0) up += w;
            else down += w;
          }
        }
        const worst = (extra: number): number => Math.max(Math.abs(base + up + extra), Math.abs(base + down + extra));
        const change = signed * ou[greek];
        const after = worst(change);
        if (after > max && after > worst(0)) {
          const who = scope === 'strategy' ? `${strategy}'s` : 'the portfolio';
          return {
            code,
            reason: `${who} ${greek} in ${underlying} would reach ${after.toFixed(2)} (now ${base.toFixed(2)}, order ${change >= 0 ? '+' : ''}${change.toFixed(2)}, working ${down.toFixed(2)}..+${up.toFixed(2)}), limit ${max}`,
            values: { limit: max, scope, underlying, current: base, order: change, working_up: up, working_down: down, projected: after },
          };
        }
      }
    }
    return null;
  }
}
