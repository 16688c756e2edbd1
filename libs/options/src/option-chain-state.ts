import type { Instrument, InstrumentRegistry } from '@hft/config';

/** One expiry of a chain: its strikes ascending, and the contract index of the call and put at each (-1: not listed). */
export interface ChainExpirySlots {
  expiry: string;
  expiresAtMs: number;
  strikes: number[];
  calls: number[];
  puts: number[];
}

/**
 * What the tick stream has said about one underlying's options: trades, volume and open interest per
 * contract, and the first mark and OI of the session (the reference for buildup). Quotes are read
 * from the books when a snapshot is made (`bbo`, integer units, filled in one native call).
 */
export class OptionChainState {
  readonly contracts: readonly Instrument[];
  readonly expiries: ChainExpirySlots[] = [];
  readonly last: Float64Array;
  readonly volume: Float64Array;
  readonly openInterest: Float64Array;
  readonly oiRef: Float64Array;
  readonly markRef: Float64Array;
  /** `[bidPx, bidQty, askPx, askQty]` units per contract, then the underlying's four (0 = no quote). */
  readonly bbo: Float64Array;
  underlyingLast = Number.NaN;
  /** Exchange time of the latest tick of the chain or its underlying, ns. */
  dataTimeNs = 0n;
  /** Anything new since the last snapshot. */
  dirty = false;

  constructor(
    readonly underlying: Instrument,
    registry: InstrumentRegistry,
  ) {
    this.contracts = registry.optionsOn(underlying.symbol);
    const n = this.contracts.length;
    this.last = new Float64Array(n).fill(Number.NaN);
    this.volume = new Float64Array(n);
    this.openInterest = new Float64Array(n).fill(Number.NaN);
    this.oiRef = new Float64Array(n).fill(Number.NaN);
    this.markRef = new Float64Array(n).fill(Number.NaN);
    this.bbo = new Float64Array(4 * (n + 1));
    const byExpiry = new Map<string, ChainExpirySlots>();
    this.contracts.forEach((c, i) => {
      const o = c.option!;
      let e = byExpiry.get(o.expiry);
      if (!e) {
        e = { expiry: o.expiry, expiresAtMs: o.expiresAtMs, strikes: [], calls: [], puts: [] };
        byExpiry.set(o.expiry, e);
        this.expiries.push(e);
      }
      let k = e.strikes.indexOf(o.strike);
      if (k < 0) {
        k = e.strikes.push(o.strike) - 1;
        e.calls.push(-1);
        e.puts.push(-1);
      }
      (o.right === 'call' ? e.calls : e.puts)[k] = i;
    });
  }

  private touch(tsNs: bigint): void {
    if (tsNs > this.dataTimeNs) this.dataTimeNs = tsNs;
    this.dirty = true;
  }

  onTrade(i: number, price: number, qty: number, tsNs: bigint): void {
    this.last[i] = price;
    this.volume[i]! += qty;
    this.touch(tsNs);
  }

  onOpenInterest(i: number, contracts: number, tsNs: bigint): void {
    this.openInterest[i] = contracts;
    if (Number.isNaN(this.oiRef[i]!)) this.oiRef[i] = contracts;
    this.touch(tsNs);
  }

  onUnderlyingTrade(price: number, tsNs: bigint): void {
    this.underlyingLast = price;
    this.touch(tsNs);
  }

  /** A quote changed (the books hold it): only the time and the need for a snapshot. */
  onQuote(tsNs: bigint): void {
    this.touch(tsNs);
  }
}
