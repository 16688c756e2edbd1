import { unitsToDecimal, envelope, OptionValueCode, type ChainExpiry, type OptionChainSnapshot, type OptionQuoteAnalytics } from '@hft/messages';
import { OptionBatch, optionCodeName } from '@hft/native';
import { classifyBuildup } from './buildup.js';
import { gammaExposure, gammaWalls } from './gamma-exposure.js';
import { maxPain } from './max-pain.js';
import type { OptionChainState } from './option-chain-state.js';

/** Calendar time, ACT/365: what the sample data and the docs use for years to expiry. */
export const YEAR_MS = 365 * 86_400_000;

export interface PricingInputs {
  /** Continuous risk-free rate and the underlying's continuous dividend yield. */
  rate: number;
  dividendYield: number;
}

const nativeCode = (code: number): OptionValueCode => optionCodeName(code).toLowerCase() as OptionValueCode;
const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * The analytics of one chain: marks from the books (mid, else last trade), implied vols and greeks in
 * two native batch calls for the whole chain, then per-strike gamma exposure, walls, max pain,
 * put/call ratios and buildup. Reuses its batch across snapshots.
 */
export class ChainAnalytics {
  private readonly batch: OptionBatch;
  private readonly rowOf: Int32Array;
  private readonly ivs: Float64Array;
  private readonly gamma: Float64Array;
  private readonly codes: OptionValueCode[];

  constructor(private readonly chain: OptionChainState) {
    const n = chain.contracts.length;
    this.batch = new OptionBatch(Math.max(1, n));
    this.rowOf = new Int32Array(n);
    this.ivs = new Float64Array(n);
    this.gamma = new Float64Array(n);
    this.codes = new Array<OptionValueCode>(n).fill(OptionValueCode.NoPrice);
  }

  /** The underlying's price from its book quote (in `chain.bbo` after the contracts), else its last trade. */
  spot(): number | null {
    const c = this.chain;
    const o = 4 * c.contracts.length;
    const u = c.underlying;
    if (c.bbo[o]! > 0 && c.bbo[o + 2]! > 0) return unitsToDecimal((c.bbo[o]! + c.bbo[o + 2]!) / 2, -u.priceDecimals);
    return orNull(c.underlyingLast);
  }

  /** Mark of contract i: the mid of a two-sided quote, else its last trade; null without either. */
  private mark(i: number): number | null {
    const c = this.chain;
    const b = c.bbo;
    const inst = c.contracts[i]!;
    if (b[4 * i]! > 0 && b[4 * i + 2]! > 0) return unitsToDecimal((b[4 * i]! + b[4 * i + 2]!) / 2, -inst.priceDecimals);
    return orNull(c.last[i]!);
  }

  snapshot(p: PricingInputs, nowMs: number, tsEvent: bigint): OptionChainSnapshot {
    const c = this.chain;
    const n = c.contracts.length;
    const spot = this.spot();
    const marks = Array.from({ length: n }, (_, i) => this.mark(i));
    this.solve(spot, marks, p, nowMs);
    const gex = Array.from({ length: n }, (_, i) => this.gex(i, spot));
    const gexAt = (i: number): number => (i < 0 ? 0 : gex[i]!);
    const expiries: ChainExpiry[] = c.expiries.map((e) => {
      const years = Math.max(0, (e.expiresAtMs - nowMs) / YEAR_MS);
      const quote = (i: number): OptionQuoteAnalytics | null => (i < 0 ? null : this.quote(i, marks[i]!));
      const callGex = e.calls.map(gexAt);
      const putGex = e.puts.map(gexAt);
      const oi = (i: number): number => (i >= 0 && Number.isFinite(c.openInterest[i]!) ? c.openInterest[i]! : 0);
      const vol = (i: number): number => (i >= 0 ? c.volume[i]! : 0);
      const callOi = e.calls.map(oi);
      const putOi = e.puts.map(oi);
      const ratio = (puts: number, calls: number): number | null => (calls > 0 ? puts / calls : null);
      return {
        expiry: e.expiry,
        expiresAt: new Date(e.expiresAtMs).toISOString(),
        years,
        atmIv: this.atmIv(e.strikes, e.calls, e.puts, spot, p, years),
        maxPain: maxPain(e.strikes, callOi, putOi),
        pcrOi: ratio(sum(putOi), sum(callOi)),
        pcrVolume: ratio(sum(e.puts.map(vol)), sum(e.calls.map(vol))),
        gex: sum(callGex) + sum(putGex),
        ...gammaWalls(e.strikes, callGex, putGex),
        strikes: e.strikes.map((strike, k) => ({ strike, call: quote(e.calls[k]!), put: quote(e.puts[k]!), gex: callGex[k]! + putGex[k]! })),
      };
    });
    // Totals over expiries, strike by strike for the walls.
    const byStrike = new Map<number, { call: number; put: number }>();
    c.contracts.forEach((x, i) => {
      const t = byStrike.get(x.option!.strike) ?? { call: 0, put: 0 };
      t[x.option!.right] += gex[i]!;
      byStrike.set(x.option!.strike, t);
    });
    const strikes = [...byStrike.keys()].sort((a, b) => a - b);
    const allOi = (right: 'call' | 'put'): number => sum(c.contracts.map((x, i) => (x.option!.right === right && Number.isFinite(c.openInterest[i]!) ? c.openInterest[i]! : 0)));
    const allVol = (right: 'call' | 'put'): number => sum(c.contracts.map((x, i) => (x.option!.right === right ? c.volume[i]! : 0)));
    c.dirty = false;
    return {
      type: 'OptionChainSnapshot',
      ...envelope(null, tsEvent),
      underlying: c.underlying.symbol,
      spot,
      rate: p.rate,
      dividendYield: p.dividendYield,
      expiries,
      totals: {
        gex: sum(expiries.map((e) => e.gex)),
        pcrOi: allOi('call') > 0 ? allOi('put') / allOi('call') : null,
        pcrVolume: allVol('call') > 0 ? allVol('put') / allVol('call') : null,
        ...gammaWalls(
          strikes,
          strikes.map((s) => byStrike.get(s)!.call),
          strikes.map((s) => byStrike.get(s)!.put),
        ),
        atmIv: expiries.find((e) => e.years > 0 && e.atmIv !== null)?.atmIv ?? null,
      },
      volIndex: null,
    };
  }

  /** Implied vols of every priced contract in one call, then greeks at those vols in another. */
  private solve(spot: number | null, marks: (number | null)[], p: PricingInputs, nowMs: number): void {
    const c = this.chain;
    const b = this.batch.clear();
    this.rowOf.fill(-1);
    c.contracts.forEach((inst, i) => {
      const o = inst.option!;
      const years = (o.expiresAtMs - nowMs) / YEAR_MS;
      if (years <= 0) this.codes[i] = OptionValueCode.Expired;
      else if (spot === null) this.codes[i] = OptionValueCode.NoUnderlying;
      else if (marks[i] === null) this.codes[i] = OptionValueCode.NoPrice;
      else this.rowOf[i] = b.add({ model: 'bsm', right: o.right, underlying: spot, strike: o.strike, years, rate: p.rate, dividend: p.dividendYield, value: marks[i]! });
    });
    if (b.size === 0) return;
    b.impliedVols();
    for (let i = 0; i < this.rowOf.length; i++) {
      const r = this.rowOf[i]!;
      if (r < 0) continue;
      this.codes[i] = nativeCode(b.codes[r]!);
      this.ivs[i] = b.vols[r]!;
      // The same row, now priced at its implied vol for the greeks (NaN: refused again, with its code).
      b.setValue(r, this.codes[i] === OptionValueCode.Ok ? b.vols[r]! : Number.NaN);
    }
    b.priceGreeks();
    for (let i = 0; i < this.rowOf.length; i++) {
      const r = this.rowOf[i]!;
      this.gamma[i] = r >= 0 && this.codes[i] === OptionValueCode.Ok ? b.greeksOf(r).gamma : Number.NaN;
    }
  }

  private quote(i: number, mark: number | null): OptionQuoteAnalytics {
    const c = this.chain;
    const inst = c.contracts[i]!;
    const bb = c.bbo;
    const px = (u: number): number | null => (u > 0 ? unitsToDecimal(u, -inst.priceDecimals) : null);
    const ok = this.codes[i] === OptionValueCode.Ok;
    const r = this.rowOf[i]!;
    const g = ok && r >= 0 ? this.batch.greeksOf(r) : null;
    const oi = orNull(c.openInterest[i]!);
    if (mark !== null && Number.isNaN(c.markRef[i]!)) c.markRef[i] = mark;
    return {
      symbol: inst.symbol,
      bid: px(bb[4 * i]!),
      ask: px(bb[4 * i + 2]!),
      last: orNull(c.last[i]!),
      mark,
      volume: c.volume[i]!,
      openInterest: oi,
      oiChange: oi !== null && Number.isFinite(c.oiRef[i]!) ? oi - c.oiRef[i]! : 0,
      iv: ok ? this.ivs[i]! : null,
      greeks: g && { delta: g.delta, gamma: g.gamma, theta: g.theta, thetaDay: g.thetaDay, vega: g.vega, rho: g.rho, vanna: g.vanna, charm: g.charm, vomma: g.vomma },
      code: this.codes[i]!,
      ...classifyBuildup(mark, orNull(c.markRef[i]!), oi, orNull(c.oiRef[i]!), c.volume[i]!),
    };
  }

  private gex(i: number, spot: number | null): number {
    if (i < 0 || spot === null) return 0;
    const c = this.chain;
    const g = this.gamma[i]!;
    const oi = c.openInterest[i]!;
    if (!Number.isFinite(g) || !Number.isFinite(oi)) return 0;
    const o = c.contracts[i]!.option!;
    return gammaExposure(o.right, g, oi, o.multiplier, spot);
  }

  /** ATM vol: at the strike nearest the forward, the mean of the call's and the put's vols (either alone if one is missing). */
  private atmIv(strikes: readonly number[], calls: readonly number[], puts: readonly number[], spot: number | null, p: PricingInputs, years: number): number | null {
    if (spot === null || strikes.length === 0 || years <= 0) return null;
    const forward = spot * Math.exp((p.rate - p.dividendYield) * years);
    let k = 0;
    strikes.forEach((s, j) => {
      if (Math.abs(s - forward) < Math.abs(strikes[k]! - forward)) k = j;
    });
    const vols = [calls[k]!, puts[k]!].filter((i) => i >= 0 && this.codes[i] === OptionValueCode.Ok).map((i) => this.ivs[i]!);
    return vols.length ? sum(vols) / vols.length : null;
  }
}
