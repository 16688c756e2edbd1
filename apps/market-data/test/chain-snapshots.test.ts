import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { OptionValueCode, wire, type OptionChainSnapshot } from '@hft/messages';
import { gammaExposure } from '@hft/options';
import { Publisher, Subscriber } from '@hft/transport';
import { mdMetrics } from '../src/md-metrics.js';
import { Replayer } from '../src/replayer.js';
import { baseOptions, cfg, instruments, metric } from './harness.js';

const root = workspaceRoot();

/** Replay the sample chain and its underlying at max speed with chain output on, collecting md.chain.AAPL. */
async function replayChain(): Promise<{ snaps: OptionChainSnapshot[]; published: number }> {
  const pubs = ['ticks', 'books', 'analytics'].map((stream) => new Publisher({ stream, endpoint: 'tcp://127.0.0.1:*', linger: 0 }));
  for (const p of pubs) await p.bind();
  const [tickPub, bookPub, analyticsPub] = pubs as [Publisher, Publisher, Publisher];
  const snaps: OptionChainSnapshot[] = [];
  const sub = new Subscriber({ stream: 'analytics', endpoint: analyticsPub.boundEndpoint, topics: ['md.chain.'] });
  sub.start((topic, [body]) => {
    const r = wire.analytics.decode(body!);
    if (!r.ok) throw new Error(`bad chain snapshot on ${topic}: ${r.detail}`);
    snaps.push(r.value);
  });
  const replayer = new Replayer(
    { ...baseOptions, waitFor: [], files: ['aapl_options.csv', 'market_data.csv', 'vix.csv'].map((f) => ({ path: join(root, 'data', f), format: 'auto' as const })) },
    instruments,
    tickPub,
    bookPub,
    createLogger({ daemon: 'md-test', destination: new PassThrough() }),
    mdMetrics(),
    { pub: analyticsPub, registry: InstrumentRegistry.fromConfig(cfg), settings: cfg.options },
  );
  await new Promise((r) => setTimeout(r, 200)); // the subscription reaches the publisher
  const summary = await replayer.run();
  const end = Date.now() + 10_000;
  while (snaps.length < summary.chainSnapshots && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  await sub.close();
  for (const p of pubs) await p.close();
  return { snaps, published: summary.chainSnapshots };
}

describe('option chain snapshots (md.chain.<UNDERLYING>)', () => {
  it('publishes the AAPL chain once per second of data with vols, greeks and aggregates that match the sample', async () => {
    const { snaps, published } = await replayChain();
    // 300 s of data, one snapshot per data second in which something changed, plus the final one.
    expect(published).toBeGreaterThanOrEqual(290);
    expect(snaps).toHaveLength(published);
    expect(snaps.map((s) => s.seq)).toEqual(snaps.map((_, i) => i + 1));
    const last = snaps.at(-1)!;
    expect(last.underlying).toBe('AAPL');
    expect(last.spot!).toBeGreaterThan(185);
    expect(last.spot!).toBeLessThan(190);
    expect(last.rate).toBe(0.04);
    expect(last.dividendYield).toBe(0.005);
    const near = last.expiries[0]!;
    expect(near.strikes).toHaveLength(40);
    // The generator's at-the-money vol of the near expiry is 27% (drifting by about a point).
    expect(near.atmIv!).toBeGreaterThan(0.24);
    expect(near.atmIv!).toBeLessThan(0.3);
    const quotes = last.expiries.flatMap((e) => e.strikes.flatMap((k) => [k.call, k.put]));
    // Out of the money near the spot every contract solves. Deep in the money a quote rounded to the cent
    // or a little stale sits below the discounted intrinsic value, and deep wings quoted only on the ask
    // have no price: those carry their codes, as real chains do.
    for (const e of last.expiries) {
      for (const k of e.strikes.filter((s) => Math.abs(Math.log(s.strike / last.spot!)) < 0.1)) {
        const otm = k.strike >= last.spot! ? k.call! : k.put!;
        expect(otm.code, otm.symbol).toBe(OptionValueCode.Ok);
        expect(otm.iv!).toBeGreaterThan(0.15);
        expect(otm.iv!).toBeLessThan(0.6);
      }
    }
    expect(new Set(quotes.map((q) => q!.code))).toEqual(new Set([OptionValueCode.Ok, OptionValueCode.NoPrice, OptionValueCode.BelowIntrinsic]));
    expect(quotes.every((q) => q!.openInterest! > 0)).toBe(true);
    // Walls: the strikes of the largest call and put gamma exposure over both expiries, recomputed here
    // from the published gammas and OI.
    const exposure = (right: 'call' | 'put'): Map<number, number> => {
      const m = new Map<number, number>();
      for (const e of last.expiries) for (const k of e.strikes) {
        const q = right === 'call' ? k.call : k.put;
        if (q?.greeks) m.set(k.strike, (m.get(k.strike) ?? 0) + Math.abs(gammaExposure(right, q.greeks.gamma, q.openInterest!, 100, last.spot!)));
      }
      return m;
    };
    const argmax = (m: Map<number, number>): number => [...m].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    expect(last.totals.callWall).toBe(argmax(exposure('call')));
    expect(last.totals.putWall).toBe(argmax(exposure('put')));
    expect(near.maxPain!).toBeGreaterThan(175);
    expect(near.maxPain!).toBeLessThan(200);
    const traded = quotes.reduce((a, q) => a + q!.volume, 0);
    expect(traded).toBeGreaterThan(1000);
    expect(quotes.some((q) => q!.buildup !== 'neutral')).toBe(true);
    expect(await metric('hft_md_chain_snapshots_total', { underlying: 'AAPL' })).toBe(published);
    // VIX divergence: the sample index jumps 3.2 points alone from 150 s to 160 s of data and falls
    // back from 240 s to 250 s; the window is 60 s, the threshold 2 points.
    const at = (snap: OptionChainSnapshot): number => Number(snap.tsEvent / 1_000_000_000n) - 1772461800;
    const changes = snaps.flatMap((snap, i) => (i === 0 || snap.volIndex!.signal !== snaps[i - 1]!.volIndex!.signal ? [[at(snap), snap.volIndex!.signal] as const] : []));
    const first = (signal: string): number => changes.find((c) => c[1] === signal)![0];
    expect(changes[0]![1]).toBe('no_data'); // the chain's first second has no index print yet
    expect(first('none')).toBeGreaterThanOrEqual(60);
    expect(first('iv_cheap')).toBeGreaterThan(150);
    expect(first('iv_cheap')).toBeLessThan(165);
    expect(first('iv_rich')).toBeGreaterThan(240);
    expect(first('iv_rich')).toBeLessThan(255);
    expect(changes.filter((c) => c[1] === 'iv_cheap').every((c) => c[0] < 200)).toBe(true);
    const vi = last.volIndex!;
    expect(vi.index).toBe('VIX');
    expect(vi.spread!).toBeCloseTo(vi.atmIvPoints! - vi.level!, 9);
    // An alert each time the signal turns rich or cheap, counted by signal.
    for (const signal of ['iv_cheap', 'iv_rich']) expect(await metric('hft_md_vol_divergence_alerts_total', { underlying: 'AAPL', index: 'VIX', signal })).toBe(changes.filter((c) => c[1] === signal).length);
  }, 60_000);
});
