import type { Instrument, InstrumentRegistry, RiskLimits } from '@hft/config';
import { DenyCode, RecentIds, type KillSwitchScope, type OrderEvent, type RiskPosition, type Side } from '@hft/messages';
import { fromUnits, toUnits } from '@hft/orders';
import { PositionBook, type PositionState } from '@hft/portfolio';
import type { GreekBook, Holding } from './greek-exposure.js';

export const LIMIT_KEYS = ['max_order_qty', 'max_notional', 'price_band_bps', 'max_position', 'daily_loss_limit', 'max_orders_per_sec'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type LimitScope = 'default' | 'symbol' | 'strategy';

export interface RiskOrder {
  strategyId: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  quantity: number;
  /** null for market orders. */
  price: number | null;
}

export interface Decision {
  ok: boolean;
  code?: DenyCode;
  reason?: string;
  values: Record<string, number | string | boolean | null>;
}

export interface KillSwitchState {
  scope: KillSwitchScope;
  target: string | null;
  engaged: boolean;
  reason: string;
  actor: string;
  ts: string;
}

/** Working quantity one approved order still holds against the position limit (quantity units). */
export interface Reservation {
  strategy: string;
  symbol: string;
  clientOrderId: string;
  side: Side;
  leaves: number;
  /** The OMS has it (OrderSubmitted seen on the stream). */
  submitted: boolean;
  /** Wall time of the approval (ms), 0 when rebuilt from the stream. */
  approvedAt: number;
}

/** A piece of state that changed: the persister writes its current value (or its absence). */
export type StateKind = 'limits' | 'restricted' | 'ks' | 'pos' | 'working' | 'order' | 'cursor' | 'pnl' | 'marks';

/** What changed; the persister writes the current values behind, in order. */
export interface ChangeSink {
  changed(kind: StateKind, a: string, b: string): void;
  audit(fields: Record<string, string>): void;
}

/** UTC trading day, the key of the daily loss limit. */
export function tradingDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

const pair = (a: string, b: string): string => `${a}\u0000${b}`;
const deny = (code: DenyCode, reason: string, values: Decision['values'] = {}): Decision => ({ ok: false, code, reason, values });
export const ksKey = (scope: KillSwitchScope, target: string | null): string => pair(scope, target ?? '');

/**
 * Risk's state and its pre-trade checks, in memory: the risk daemon is the single writer, so a check
 * is a few map lookups (microseconds) and never waits for Redis. Every change names the state-store
 * key it touched; the persister writes those keys behind, in order (risk-persistence.ts).
 * Positions and working quantity follow the OMS's order-event stream, applied once per sequence number.
 */
export class RiskEngine {
  readonly limits: { default: Partial<RiskLimits>; symbol: Map<string, Partial<RiskLimits>>; strategy: Map<string, Partial<RiskLimits>> } = { default: {}, symbol: new Map(), strategy: new Map() };
  readonly restricted = new Set<string>();
  readonly killSwitches = new Map<string, KillSwitchState>();
  readonly positions: PositionBook;
  readonly working = new Map<string, { strategy: string; symbol: string; buy: number; sell: number }>();
  readonly reservations = new Map<string, Reservation>();
  /** Last order-event sequence applied, per strategy. */
  readonly cursors = new Map<string, number>();
  /** Realised PnL minus fees today, per strategy. */
  readonly pnl = new Map<string, { day: string; value: number }>();
  /** Portfolio greeks for the greek limits (set when the daemon follows the chain snapshots). */
  greeks: GreekBook | null = null;
  private readonly rate = new Map<string, { sec: number; count: number }>();
  private readonly seenIds = new Map<string, RecentIds>();

  constructor(
    readonly instruments: InstrumentRegistry,
    private readonly sink: ChangeSink,
    private readonly duplicateMemory = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.positions = new PositionBook((s) => instruments.find(s) ?? 1);
  }

  limit(name: LimitKey, strategy: string, symbol: string): number | undefined {
    const s = this.limits.symbol.get(symbol)?.[name];
    const t = this.limits.strategy.get(strategy)?.[name];
    if (s !== undefined && t !== undefined) return Math.min(s, t);
    return t ?? s ?? this.limits.default[name];
  }

  /** The engaged switch stopping this strategy/symbol, if any (global first, then strategy, then symbol). */
  halted(strategyId: string, symbol: string): KillSwitchState | null {
    // A scan of the few switches instead of three composed keys: no string is built on every check.
    let best: KillSwitchState | null = null;
    let rank = 3;
    for (const s of this.killSwitches.values()) {
      if (!s.engaged) continue;
      const r = s.scope === 'global' ? 0 : s.scope === 'strategy' && s.target === strategyId ? 1 : s.scope === 'symbol' && s.target === symbol ? 2 : 3;
      if (r < rank) {
        best = s;
        rank = r;
      }
    }
    return best;
  }

  pnlToday(strategy: string): number {
    const p = this.pnl.get(strategy);
    return p && p.day === tradingDay(new Date(this.now())) ? p.value : 0;
  }

  reservation(strategy: string, clientOrderId: string): Reservation | undefined {
    return this.reservations.get(pair(strategy, clientOrderId));
  }

  killSwitch(scope: KillSwitchScope, target: string | null): KillSwitchState | undefined {
    return this.killSwitches.get(ksKey(scope, target));
  }

  limitsOf(scope: LimitScope, target: string | null): Partial<RiskLimits> | undefined {
    return scope === 'default' ? this.limits.default : (scope === 'symbol' ? this.limits.symbol : this.limits.strategy).get(target ?? '');
  }

  /** Working quantity (units) of a strategy in a symbol. */
  workingOf(strategy: string, symbol: string): { buy: number; sell: number } {
    const w = this.working.get(pair(strategy, symbol));
    return { buy: w?.buy ?? 0, sell: w?.sell ?? 0 };
  }

  /**
   * The pre-trade checks, in order; `reserve` (a submit) also reserves the order's working quantity and
   * counts it against the rate and duplicate checks. `reference` is the mark for bands and notional.
   */
  /** The kill-switch, the restricted list and the instrument: what stops any order (or replace) first. */
  private gate(strategyId: string, symbol: string): Decision | Instrument {
    const halt = this.halted(strategyId, symbol);
    if (halt) {
      return deny(DenyCode.KillSwitch, `kill-switch engaged (${halt.scope}${halt.target ? ` ${halt.target}` : ''}) by ${halt.actor}: ${halt.reason}`, { scope: halt.scope, target: halt.target ?? '', actor: halt.actor, since: halt.ts });
    }
    if (this.restricted.has(symbol)) return deny(DenyCode.RestrictedSymbol, `${symbol} is on the restricted list`, { symbol });
    return this.instruments.find(symbol) ?? deny(DenyCode.UnknownInstrument, `${symbol} is not in the instrument master`, { symbol });
  }

  /** Size, reference, price band and notional of an order's terms: the notional, or why not. */
  private terms(o: { strategyId: string; symbol: string; quantity: number; price: number | null }, reference: number | null): Decision | number {
    const maxQty = this.limit('max_order_qty', o.strategyId, o.symbol);
    if (maxQty !== undefined && o.quantity > maxQty) return deny(DenyCode.MaxOrderQty, `quantity ${o.quantity} > limit ${maxQty}`, { limit: maxQty, requested: o.quantity });
    if (reference === null) return deny(DenyCode.ReferencePrice, `no reference price for ${o.symbol} yet (no market data received)`, { symbol: o.symbol });
    if (o.price !== null) {
      const band = this.limit('price_band_bps', o.strategyId, o.symbol);
      const dev = (Math.abs(o.price - reference) / reference) * 10_000;
      if (band !== undefined && dev > band) {
        return deny(DenyCode.PriceBand, `price ${o.price} is ${dev.toFixed(1)} bps from the reference ${reference}, band ${band} bps`, { limit: band, deviation_bps: dev, price: o.price, reference });
      }
    }
    const notional = o.quantity * (o.price ?? reference);
    const maxNotional = this.limit('max_notional', o.strategyId, o.symbol);
    if (maxNotional !== undefined && notional > maxNotional) return deny(DenyCode.MaxNotional, `notional ${notional} > limit ${maxNotional}`, { limit: maxNotional, notional });
    return notional;
  }

  check(o: RiskOrder, reference: number | null, reserve: boolean): Decision {
    const inst = this.gate(o.strategyId, o.symbol);
    if ('ok' in inst) return inst;
    if (this.reservations.has(pair(o.strategyId, o.clientOrderId)) || this.seenIds.get(o.strategyId)?.has(o.clientOrderId)) {
      return deny(DenyCode.DuplicateClientOrderId, `clientOrderId already used by ${o.strategyId}`);
    }
    const sec = Math.floor(this.now() / 1000);
    let window = this.rate.get(o.strategyId);
    if (!window || window.sec !== sec) window = { sec, count: 0 };
    const count = window.count + 1;
    if (reserve) {
      window.count = count;
      this.rate.set(o.strategyId, window);
    }
    const maxRate = this.limit('max_orders_per_sec', o.strategyId, o.symbol);
    if (maxRate !== undefined && count > maxRate) return deny(DenyCode.MessageRate, `${o.strategyId} sent ${count} orders this second, limit ${maxRate}`, { limit: maxRate, count });
    const notional = this.terms(o, reference);
    if (typeof notional !== 'number') return notional;
    const pos = this.positions.find(o.strategyId, o.symbol);
    const posQty = pos?.qty ?? 0;
    const w = this.working.get(pair(o.strategyId, o.symbol));
    const wBuy = w ? fromUnits(w.buy, inst.qtyScale) : 0;
    const wSell = w ? fromUnits(w.sell, inst.qtyScale) : 0;
    const projected = o.side === 'buy' ? posQty + wBuy + o.quantity : posQty - wSell - o.quantity;
    const maxPos = this.limit('max_position', o.strategyId, o.symbol);
    if (maxPos !== undefined && Math.abs(projected) > maxPos && Math.abs(projected) > Math.abs(posQty)) {
      return deny(DenyCode.MaxPosition, `position after the order and working orders would be ${projected}, limit ${maxPos}`, { limit: maxPos, position: posQty, working_buy: wBuy, working_sell: wSell, projected });
    }
    const increasing = (o.side === 'buy' && posQty >= 0) || (o.side === 'sell' && posQty <= 0);
    const maxLoss = this.limit('daily_loss_limit', o.strategyId, o.symbol);
    const realized = this.pnlToday(o.strategyId);
    // terms() refused a missing reference already.
    const unrealized = pos ? pos.unrealized(reference!) : 0;
    const pnl = realized + unrealized;
    if (increasing && maxLoss !== undefined && pnl <= -maxLoss) {
      return deny(DenyCode.DailyLoss, `PnL today ${pnl.toFixed(2)} (realized ${realized.toFixed(2)}, unrealized ${unrealized.toFixed(2)}) is at the loss limit -${maxLoss}`, { limit: maxLoss, pnl, realized, unrealized });
    }
    const underlying = this.greeks?.underlyingOf(inst) ?? null;
    if (underlying !== null) {
      const g = this.greeks!.check(o.strategyId, underlying, o, this.holdings(underlying, o.strategyId), this.holdings(underlying));
      if (g) return deny(g.code, g.reason, g.values);
    }
    if (reserve) this.reserve(o, toUnits(o.quantity, inst.qtyScale), false, this.now());
    return { ok: true, values: { position: posQty, projected, notional, pnl } };
  }

  /**
   * The checks a replace's new terms must pass: the kill-switch, the restricted list, size, band and
   * notional as for a new order, and the position with the order's working quantity replaced by the new
   * total (as if none of it had filled: on the safe side). Nothing is reserved until OrderReplaced.
   */
  checkReplace(o: { strategyId: string; clientOrderId: string; symbol: string; quantity: number; price: number }, reference: number | null): Decision {
    const inst = this.gate(o.strategyId, o.symbol);
    if ('ok' in inst) return inst;
    const notional = this.terms(o, reference);
    if (typeof notional !== 'number') return notional;
    const r = this.reservations.get(pair(o.strategyId, o.clientOrderId));
    // An order risk holds nothing for (finished, or from before its state) is the OMS's to refuse.
    if (!r) return { ok: true, values: { notional } };
    const posQty = this.positions.find(o.strategyId, o.symbol)?.qty ?? 0;
    const w = this.working.get(pair(o.strategyId, o.symbol));
    const others = fromUnits(Math.max(0, (w?.[r.side] ?? 0) - r.leaves), inst.qtyScale);
    const projected = r.side === 'buy' ? posQty + others + o.quantity : posQty - others - o.quantity;
    const maxPos = this.limit('max_position', o.strategyId, o.symbol);
    if (maxPos !== undefined && Math.abs(projected) > maxPos && Math.abs(projected) > Math.abs(posQty)) {
      return deny(DenyCode.MaxPosition, `position after the replaced order and the other working orders would be ${projected}, limit ${maxPos}`, { limit: maxPos, position: posQty, projected });
    }
    return { ok: true, values: { position: posQty, projected, notional } };
  }

  /** Positions and working quantities in an underlying and its options, of one strategy or of all. */
  private holdings(underlying: string, strategy?: string): Holding[] {
    const by = new Map<string, Holding>();
    const of = (s: string, symbol: string): Holding | null => {
      const inst = this.instruments.find(symbol);
      if (!inst || (symbol !== underlying && inst.option?.underlying !== underlying)) return null;
      const key = `${s}\u0000${symbol}`;
      let h = by.get(key);
      if (!h) by.set(key, (h = { symbol, position: 0, workingBuy: 0, workingSell: 0 }));
      return h;
    };
    for (const { strategy: s, position } of this.positions.list(strategy)) {
      const h = of(s, position.symbol);
      if (h) h.position += position.qty;
    }
    for (const w of this.working.values()) {
      if (strategy !== undefined && w.strategy !== strategy) continue;
      const h = of(w.strategy, w.symbol);
      if (!h) continue;
      const scale = this.instruments.find(w.symbol)!.qtyScale;
      h.workingBuy += fromUnits(w.buy, scale);
      h.workingSell += fromUnits(w.sell, scale);
    }
    return [...by.values()];
  }

  private reserve(o: { strategyId: string; symbol: string; clientOrderId: string; side: Side }, units: number, submitted: boolean, at: number): void {
    const r: Reservation = { strategy: o.strategyId, symbol: o.symbol, clientOrderId: o.clientOrderId, side: o.side, leaves: units, submitted, approvedAt: at };
    this.reservations.set(pair(o.strategyId, o.clientOrderId), r);
    this.addWorking(o.strategyId, o.symbol, o.side, units);
    this.sink.changed('order', o.strategyId, o.clientOrderId);
    let ids = this.seenIds.get(o.strategyId);
    if (!ids) this.seenIds.set(o.strategyId, (ids = new RecentIds(this.duplicateMemory)));
    ids.add(o.clientOrderId);
  }

  private addWorking(strategy: string, symbol: string, side: Side, units: number): void {
    const key = pair(strategy, symbol);
    let w = this.working.get(key);
    if (!w) this.working.set(key, (w = { strategy, symbol, buy: 0, sell: 0 }));
    w[side] = Math.max(0, w[side] + units);
    this.sink.changed('working', strategy, symbol);
  }

  /** An order is over (or was never placed): its remaining working quantity no longer counts. */
  release(strategy: string, clientOrderId: string): number {
    const key = pair(strategy, clientOrderId);
    const r = this.reservations.get(key);
    if (!r) return 0;
    this.reservations.delete(key);
    this.addWorking(r.strategy, r.symbol, r.side, -r.leaves);
    this.sink.changed('order', strategy, clientOrderId);
    return r.leaves;
  }

  /** Approvals the OMS has not shown as submitted, oldest first (approved before `before` ms). */
  unsubmitted(before = Infinity): Reservation[] {
    return [...this.reservations.values()].filter((r) => !r.submitted && r.approvedAt < before).sort((a, b) => a.approvedAt - b.approvedAt);
  }

  /** Apply one event of a strategy's order-event stream (the feed hands them over in sequence, once each). */
  onOrderEvent(e: OrderEvent): void {
    const s = e.strategyId;
    if (e.seq !== undefined) {
      this.cursors.set(s, e.seq);
      this.sink.changed('cursor', s, '');
    }
    const key = pair(s, e.clientOrderId);
    switch (e.type) {
      case 'OrderSubmitted': {
        const r = this.reservations.get(key);
        if (r) {
          r.submitted = true;
          this.sink.changed('order', s, e.clientOrderId);
        } else {
          // Approved by a risk process whose reservation never reached the store: rebuilt from the event.
          const inst = this.instruments.find(e.symbol);
          if (inst) this.reserve(e, toUnits(e.quantity, inst.qtyScale), true, 0);
        }
        return;
      }
      case 'OrderFilled': {
        const p = this.positions.get(s, e.symbol);
        const before = p.realized;
        p.onFill(e.side, e.lastPx, e.lastQty, e.fee);
        this.sink.changed('pos', s, e.symbol);
        this.addPnl(s, p.realized - before - e.fee);
        const r = this.reservations.get(key);
        if (r) {
          const q = Math.min(r.leaves, toUnits(e.lastQty, p.qtyScale));
          r.leaves -= q;
          this.addWorking(s, e.symbol, r.side, -q);
          if (r.leaves <= 0) this.reservations.delete(key);
          this.sink.changed('order', s, e.clientOrderId);
        }
        return;
      }
      case 'OrderReplaced': {
        // The order works on its new terms: its working quantity is what is left of the new total.
        const r = this.reservations.get(key);
        const inst = this.instruments.find(e.symbol);
        if (r && inst) {
          const leaves = toUnits(e.leavesQty, inst.qtyScale);
          this.addWorking(s, e.symbol, r.side, leaves - r.leaves);
          r.leaves = leaves;
          this.sink.changed('order', s, e.clientOrderId);
        }
        return;
      }
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderRejected':
      case 'OrderDenied':
        this.release(s, e.clientOrderId);
        return;
      default:
        return;
    }
  }

  private addPnl(strategy: string, delta: number): void {
    const day = tradingDay(new Date(this.now()));
    const p = this.pnl.get(strategy);
    this.pnl.set(strategy, { day, value: (p && p.day === day ? p.value : 0) + delta });
    this.sink.changed('pnl', strategy, day);
  }

  /** Take over a strategy's positions and open orders as the OMS has them at stream sequence `seq`. */
  adopt(strategy: string, seq: number, positions: (PositionState & { symbol: string })[], open: { clientOrderId: string; symbol: string; side: Side; leavesQty: number }[]): void {
    for (const r of [...this.reservations.values()]) if (r.strategy === strategy) this.release(strategy, r.clientOrderId);
    for (const w of this.working.values()) {
      if (w.strategy !== strategy) continue;
      w.buy = 0;
      w.sell = 0;
      this.sink.changed('working', strategy, w.symbol);
    }
    for (const p of positions) {
      this.positions.restore(strategy, p.symbol, p);
      this.sink.changed('pos', strategy, p.symbol);
    }
    for (const o of open) {
      const inst = this.instruments.find(o.symbol);
      if (inst) this.reserve({ strategyId: strategy, ...o }, toUnits(o.leavesQty, inst.qtyScale), true, 0);
    }
    this.cursors.set(strategy, seq);
    this.sink.changed('cursor', strategy, '');
  }

  // ---- the risk officer's changes

  setKillSwitch(s: KillSwitchState): void {
    this.killSwitches.set(ksKey(s.scope, s.target), s);
    this.sink.changed('ks', s.scope, s.target ?? '');
    this.sink.audit({ kind: 'kill_switch', scope: s.scope, target: s.target ?? '', engaged: s.engaged ? '1' : '0', reason: s.reason, actor: s.actor, ts: s.ts });
  }

  setLimits(scope: LimitScope, target: string | null, limits: Partial<Record<LimitKey, number | null>>, actor: string): void {
    const into = scope === 'default' ? this.limits.default : ((scope === 'symbol' ? this.limits.symbol : this.limits.strategy).get(target!) ?? {});
    if (scope !== 'default') (scope === 'symbol' ? this.limits.symbol : this.limits.strategy).set(target!, into);
    for (const [name, v] of Object.entries(limits) as [LimitKey, number | null][]) {
      if (v === null) delete into[name];
      else into[name] = v;
    }
    this.sink.changed('limits', scope, target ?? '');
    this.sink.audit({ kind: 'limits', scope, target: target ?? '', limits: JSON.stringify(limits), actor, ts: new Date(this.now()).toISOString() });
  }

  setRestricted(symbols: readonly string[], actor: string): void {
    this.restricted.clear();
    for (const s of symbols) this.restricted.add(s);
    this.sink.changed('restricted', '', '');
    this.sink.audit({ kind: 'restricted', symbols: symbols.join(','), actor, ts: new Date(this.now()).toISOString() });
  }

  /** Every position with its working quantity (decimal), for the API and restarting readers. */
  positionRows(): RiskPosition[] {
    const out = new Map<string, RiskPosition>();
    const scale = (sym: string): number => this.instruments.find(sym)?.qtyScale ?? 1;
    for (const { strategy, position: p } of this.positions.list()) out.set(pair(strategy, p.symbol), { strategy, symbol: p.symbol, ...p.state(), workingBuy: 0, workingSell: 0 });
    for (const w of this.working.values()) {
      const row = out.get(pair(w.strategy, w.symbol)) ?? { strategy: w.strategy, symbol: w.symbol, qty: 0, avgPx: 0, realized: 0, fees: 0, workingBuy: 0, workingSell: 0 };
      row.workingBuy = fromUnits(w.buy, scale(w.symbol));
      row.workingSell = fromUnits(w.sell, scale(w.symbol));
      out.set(pair(w.strategy, w.symbol), row);
    }
    return [...out.values()].sort((a, b) => (a.strategy + a.symbol).localeCompare(b.strategy + b.symbol));
  }
}
