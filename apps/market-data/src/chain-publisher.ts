import type { Instrument, InstrumentRegistry, PlatformConfig } from '@hft/config';
import { encodeMessage, OPTION_VALUE_CODES, OptionValueCode, topics, VolDivergenceSignal, type OptionChainSnapshot } from '@hft/messages';
import { ChainFeed, type ChainTick } from '@hft/options';
import type { Publisher } from '@hft/transport';
import type { BookPublisher } from './book-publisher.js';
import type { MdMetrics } from './md-metrics.js';

/**
 * Option analytics inside market-data, which already holds every book: the chain feed's snapshots
 * published on md.chain.<UNDERLYING>, their aggregates as gauges, and VIX-divergence alerts logged
 * and counted when the signal changes.
 */
export class ChainPublisher {
  private readonly feed: ChainFeed;
  private readonly lastSignal = new Map<string, VolDivergenceSignal>();
  snapshots = 0;

  constructor(
    private readonly pub: Publisher,
    list: readonly Instrument[],
    registry: InstrumentRegistry,
    settings: PlatformConfig['options'],
    books: BookPublisher,
    private readonly m: MdMetrics,
    private readonly onAlert: (underlying: string, v: NonNullable<OptionChainSnapshot['volIndex']>) => void = () => {},
  ) {
    this.feed = new ChainFeed(list, registry, settings, (syms, out) => books.bboMany(syms, out));
    // The alert counters exist from the start (at 0), so rate() and increase() see the first alert.
    for (const underlying of this.feed.underlyings()) {
      const index = settings.vol_indexes[underlying];
      if (index) for (const signal of [VolDivergenceSignal.IvRich, VolDivergenceSignal.IvCheap]) m.volDivergenceAlerts.inc({ underlying, index, signal }, 0);
    }
  }

  get enabled(): boolean {
    return this.feed.enabled;
  }

  /** Every replayed tick; only the chains' contracts, underlyings and volatility indexes are looked at. */
  onTick(t: ChainTick): void {
    this.feed.onTick(t);
  }

  /** After the books are flushed: publish the snapshots that are due (all changed chains when `final`). */
  flush(final = false): void {
    this.feed.flush((snap) => this.publish(snap), final);
  }

  private publish(snap: OptionChainSnapshot): void {
    const underlying = snap.underlying;
    this.pub.publish(topics.chain(underlying), encodeMessage(snap));
    this.snapshots++;
    this.m.chainSnapshots.inc({ underlying });
    const unvalued = new Map<string, number>(OPTION_VALUE_CODES.map((code) => [code, 0]));
    for (const e of snap.expiries) for (const k of e.strikes) for (const q of [k.call, k.put]) if (q) unvalued.set(q.code, unvalued.get(q.code)! + 1);
    for (const [code, n] of unvalued) if (code !== OptionValueCode.Ok) this.m.unvalued.set({ underlying, code }, n);
    this.gauges(snap);
    this.divergence(snap);
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

  /** An alert is the signal turning iv_rich or iv_cheap (not every snapshot it stays so). */
  private divergence(snap: OptionChainSnapshot): void {
    const v = snap.volIndex;
    if (!v) return;
    const underlying = snap.underlying;
    if (v.divergence !== null) this.m.volDivergence.set({ underlying, index: v.index }, v.divergence);
    const before = this.lastSignal.get(underlying);
    this.lastSignal.set(underlying, v.signal);
    if (v.signal === before || (v.signal !== VolDivergenceSignal.IvRich && v.signal !== VolDivergenceSignal.IvCheap)) return;
    this.m.volDivergenceAlerts.inc({ underlying, index: v.index, signal: v.signal });
    this.onAlert(underlying, v);
  }
}
