import type { Instrument, InstrumentRegistry, PlatformConfig } from '@hft/config';
import { encodeMessage, OPTION_VALUE_CODES, OptionValueCode, TickKind, topics, unitsToDecimal, type OptionChainSnapshot } from '@hft/messages';
import { ChainAnalytics, OptionChainState } from '@hft/options';
import type { RawTick } from '@hft/replay';
import type { Publisher } from '@hft/transport';
import type { BookPublisher } from './book-publisher.js';
import type { MdMetrics } from './md-metrics.js';

interface Chain {
  state: OptionChainState;
  analytics: ChainAnalytics;
  /** Book indexes of the contracts, then the underlying: one native call reads all their quotes. */
  books: Uint32Array;
  nextDueNs: bigint;
  dividendYield: number;
  /** Per-underlying sequence of the snapshots, for subscribers' gap counts. */
  seq: number;
}

/**
 * Option analytics inside market-data, which already holds every book: per underlying with listed
 * options, a snapshot on md.chain.<UNDERLYING> once per `snapshot_ms` of data time when anything
 * changed (data time, so a max-speed replay or a backtest sees the same snapshots as a 1x one).
 * A 160-contract chain costs one native call for its quotes and two for its vols and greeks.
 */
export class ChainPublisher {
  private readonly chains: Chain[] = [];
  /** By replay symbol index: the chain and the contract index in it (-1: the underlying). */
  private readonly role: ({ chain: Chain; i: number } | undefined)[];
  private readonly intervalNs: bigint;
  snapshots = 0;

  constructor(
    private readonly pub: Publisher,
    private readonly list: readonly Instrument[],
    registry: InstrumentRegistry,
    private readonly settings: PlatformConfig['options'],
    private readonly books: BookPublisher,
    private readonly m: MdMetrics,
  ) {
    this.intervalNs = BigInt(settings.snapshot_ms) * 1_000_000n;
    this.role = list.map(() => undefined);
    const index = new Map(list.map((inst, k) => [inst.symbol, k]));
    for (const underlying of new Set(list.filter((i) => i.option).map((i) => i.option!.underlying))) {
      const u = index.get(underlying);
      if (u === undefined) continue;
      const state = new OptionChainState(list[u]!, registry);
      const syms = [...state.contracts.map((c) => index.get(c.symbol)!), u];
      const chain: Chain = { state, analytics: new ChainAnalytics(state), books: Uint32Array.from(syms), nextDueNs: 0n, dividendYield: settings.dividend_yields[underlying] ?? 0, seq: 0 };
      this.chains.push(chain);
      syms.forEach((sym, i) => (this.role[sym] = { chain, i: i === syms.length - 1 ? -1 : i }));
    }
  }

  get enabled(): boolean {
    return this.chains.length > 0 && this.intervalNs > 0n;
  }

  /** Every replayed tick; only the chains' contracts and underlyings are looked at. */
  onTick(t: RawTick): void {
    const r = this.role[t.sym];
    if (!r) return;
    const ts = BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
    const s = r.chain.state;
    const inst = this.list[t.sym]!;
    if (t.kind === TickKind.Trade) {
      const px = unitsToDecimal(t.priceUnits, -inst.priceDecimals);
      if (r.i < 0) s.onUnderlyingTrade(px, ts);
      else s.onTrade(r.i, px, unitsToDecimal(t.qtyUnits, -inst.qtyDecimals), ts);
    } else if (t.kind === TickKind.OpenInterest) {
      if (r.i >= 0) s.onOpenInterest(r.i, unitsToDecimal(t.qtyUnits, -inst.qtyDecimals), ts);
    } else s.onQuote(ts);
  }

  /** The snapshot's aggregates as gauges, for Prometheus and the shipped Grafana options dashboard. */
  private gauges(snap: OptionChainSnapshot): void {
    const underlying = snap.underlying;
    const byStrike = new Map<number, number>();
    for (const e of snap.expiries) {
      for (const k of e.strikes) byStrike.set(k.strike, (byStrike.get(k.strike) ?? 0) + k.gex);
      if (e.atmIv !== null) this.m.atmIv.set({ underlying, expiry: e.expiry }, e.atmIv);
    }
    for (const [strike, gex] of byStrike) this.m.gexByStrike.set({ underlying, strike: String(strike) }, gex);
    const t = snap.totals;
    for (const [wall, strike] of [['call', t.callWall], ['put', t.putWall]] as const) if (strike !== null) this.m.walls.set({ underlying, wall }, strike);
    for (const [basis, ratio] of [['oi', t.pcrOi], ['volume', t.pcrVolume]] as const) if (ratio !== null) this.m.putCallRatio.set({ underlying, basis }, ratio);
  }

  /** After the books are flushed: snapshot every changed chain whose interval of data time has passed (all of them when `final`). */
  flush(final = false): void {
    if (!this.enabled) return;
    for (const c of this.chains) {
      const s = c.state;
      if (!s.dirty || (!final && s.dataTimeNs < c.nextDueNs)) continue;
      c.nextDueNs = (s.dataTimeNs / this.intervalNs + 1n) * this.intervalNs;
      this.books.bboMany(c.books, s.bbo);
      const snap = c.analytics.snapshot({ rate: this.settings.rate, dividendYield: c.dividendYield }, Number(s.dataTimeNs / 1_000_000n), s.dataTimeNs);
      this.pub.publish(topics.chain(s.underlying.symbol), encodeMessage({ ...snap, seq: ++c.seq }));
      this.snapshots++;
      this.m.chainSnapshots.inc({ underlying: s.underlying.symbol });
      const unvalued = new Map<string, number>(OPTION_VALUE_CODES.map((code) => [code, 0]));
      for (const e of snap.expiries) for (const k of e.strikes) for (const q of [k.call, k.put]) if (q) unvalued.set(q.code, unvalued.get(q.code)! + 1);
      for (const [code, n] of unvalued) if (code !== OptionValueCode.Ok) this.m.unvalued.set({ underlying: s.underlying.symbol, code }, n);
      this.gauges(snap);
    }
  }
}
