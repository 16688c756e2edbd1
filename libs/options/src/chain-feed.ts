import type { Instrument, InstrumentRegistry, PlatformConfig } from '@hft/config';
import { TickKind, unitsToDecimal, type OptionChainSnapshot } from '@hft/messages';
import { ChainAnalytics } from './chain-analytics.js';
import { OptionChainState } from './option-chain-state.js';
import { VolDivergence } from './vol-divergence.js';

/** What the feed needs of a tick: the replay's RawTick has it (symbol index into `list`, integer units). */
export interface ChainTick {
  sym: number;
  kind: number;
  sec: number;
  nsec: number;
  priceUnits: number;
  qtyUnits: number;
}

/** Reads `[bidPx, bidQty, askPx, askQty]` units of the books at `syms` into `out` (L2Books.bboMany). */
export type BboReader = (syms: Uint32Array, out: Float64Array) => void;

interface Chain {
  state: OptionChainState;
  analytics: ChainAnalytics;
  /** Book indexes of the contracts, then the underlying: one native call reads all their quotes. */
  books: Uint32Array;
  nextDueNs: bigint;
  dividendYield: number;
  divergence: VolDivergence | null;
  /** Per-underlying sequence of the snapshots, for subscribers' gap counts. */
  seq: number;
}

/**
 * The chain snapshots of every underlying with listed options, from the tick stream and the books:
 * once per `snapshot_ms` of data time when anything changed (data time, so a max-speed replay, a 1x
 * one and a backtest see the same snapshots). market-data publishes them; a backtest hands them to
 * its strategies directly. A 160-contract chain costs one native call for its quotes and two for its
 * vols and greeks.
 */
export class ChainFeed {
  private readonly chains: Chain[] = [];
  /** By symbol index: the chain and the contract index in it (-1: the underlying). */
  private readonly role: ({ chain: Chain; i: number } | undefined)[];
  /** By symbol index: the divergence trackers a volatility index's prints feed. */
  private readonly indexOf: (VolDivergence[] | undefined)[];
  private readonly intervalNs: bigint;

  constructor(
    private readonly list: readonly Instrument[],
    registry: InstrumentRegistry,
    private readonly settings: PlatformConfig['options'],
    private readonly bbo: BboReader,
  ) {
    this.intervalNs = BigInt(settings.snapshot_ms) * 1_000_000n;
    this.role = list.map(() => undefined);
    this.indexOf = list.map(() => undefined);
    const index = new Map(list.map((inst, k) => [inst.symbol, k]));
    for (const underlying of new Set(list.filter((i) => i.option).map((i) => i.option!.underlying))) {
      const u = index.get(underlying);
      if (u === undefined) continue;
      const state = new OptionChainState(list[u]!, registry);
      // `list` is the replay's instruments: every instrument of the registry, so every contract.
      const syms = [...state.contracts.map((c) => index.get(c.symbol)!), u];
      const volIndex = settings.vol_indexes[underlying];
      const k = volIndex === undefined ? undefined : index.get(volIndex);
      const divergence = volIndex === undefined ? null : new VolDivergence(volIndex, settings.divergence_points, settings.divergence_window_ms);
      if (divergence && k !== undefined) (this.indexOf[k] ??= []).push(divergence);
      const chain: Chain = { state, analytics: new ChainAnalytics(state), books: Uint32Array.from(syms), nextDueNs: 0n, dividendYield: settings.dividend_yields[underlying] ?? 0, divergence, seq: 0 };
      this.chains.push(chain);
      syms.forEach((sym, i) => (this.role[sym] = { chain, i: i === syms.length - 1 ? -1 : i }));
    }
  }

  get enabled(): boolean {
    return this.chains.length > 0 && this.intervalNs > 0n;
  }

  /** The underlyings with a chain. */
  underlyings(): string[] {
    return this.chains.map((c) => c.state.underlying.symbol);
  }

  /** Every tick; only the chains' contracts, underlyings and volatility indexes are looked at. */
  onTick(t: ChainTick): void {
    const inst = this.list[t.sym]!;
    const idx = this.indexOf[t.sym];
    if (idx && t.kind === TickKind.Trade) for (const d of idx) d.onIndex(unitsToDecimal(t.priceUnits, -inst.priceDecimals));
    const r = this.role[t.sym];
    if (!r) return;
    const ts = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
    const s = r.chain.state;
    if (t.kind === TickKind.Trade) {
      const px = unitsToDecimal(t.priceUnits, -inst.priceDecimals);
      if (r.i < 0) s.onUnderlyingTrade(px, ts);
      else s.onTrade(r.i, px, unitsToDecimal(t.qtyUnits, -inst.qtyDecimals), ts);
    } else if (t.kind === TickKind.OpenInterest) {
      if (r.i >= 0) s.onOpenInterest(r.i, unitsToDecimal(t.qtyUnits, -inst.qtyDecimals), ts);
    } else s.onQuote(ts);
  }

  /**
   * After the books are applied: a snapshot of every changed chain whose interval of data time has
   * passed (of every changed chain when `final`), handed to `emit` with its sequence.
   */
  flush(emit: (snap: OptionChainSnapshot) => void, final = false): void {
    if (!this.enabled) return;
    for (const c of this.chains) {
      const s = c.state;
      if (!s.dirty || (!final && s.dataTimeNs < c.nextDueNs)) continue;
      c.nextDueNs = (s.dataTimeNs / this.intervalNs + 1n) * this.intervalNs;
      this.bbo(c.books, s.bbo);
      const snap = c.analytics.snapshot({ rate: this.settings.rate, dividendYield: c.dividendYield }, Number(s.dataTimeNs / 1_000_000n), s.dataTimeNs);
      emit({ ...snap, volIndex: c.divergence?.evaluate(snap.totals.atmIv, s.dataTimeNs) ?? null, seq: ++c.seq });
    }
  }
}
