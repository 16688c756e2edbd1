import { describe as group, expect, it } from 'vitest';
import { aaplChainSnapshot } from '@hft/testing';
import type { OptionChainSnapshot } from '@hft/messages';
import { createStrategy, DeltaHedger, ERR_STRATEGY_NO_CHAIN, ERR_STRATEGY_PARAMS } from '../src/index.js';
import { book, canceled, describe, fill, host, ms } from './harness.js';

const OPTION = 'AAPL260320C190';
const params = { kind: 'delta_hedger' as const, symbol: 'AAPL', option: OPTION, option_qty: -5, band: 50, slippage_ticks: 5 };

/** The fixture chain at `spot`, stamped at data time `at`. */
function chainAt(spot: number, at: bigint): OptionChainSnapshot {
  return { ...aaplChainSnapshot({ spot }), tsEvent: at };
}

function deltaOf(snap: OptionChainSnapshot): number {
  const k = snap.expiries.find((e) => e.expiry === '2026-03-20')!.strikes.find((s) => s.strike === 190)!;
  return k.call!.greeks!.delta;
}

group('delta hedger', () => {
  it('sells the option, then trades the underlying back inside the band as the delta moves', async () => {
    const s = (await createStrategy('hedge', params, '.')) as DeltaHedger;
    const { h, sent } = host('hedge', s);
    expect(h.underlyings()).toEqual(['AAPL']);
    h.onBook(book('AAPL', ms(0), [[187.49, 500]], [[187.51, 500]]));
    // First snapshot: the option position is opened through the option's bid; no underlying yet.
    const c1 = chainAt(187.5, ms(1000));
    h.onChain(c1);
    expect(sent).toHaveLength(1);
    const open = sent[0]!;
    expect(open).toMatchObject({ symbol: OPTION, side: 'sell', quantity: 5, timeInForce: 'ioc' });
    const q = c1.expiries[1]!.strikes.find((k) => k.strike === 190)!.call!;
    expect(open.type === 'SubmitOrder' && open.price).toBeCloseTo(q.bid! - 0.05, 9);
    fill(h, open, 5, q.bid!, 0);
    // Short 5 calls: delta -5 x 100 x delta; the next snapshot buys that many shares through the ask.
    const c2 = chainAt(187.5, ms(2000));
    h.onChain(c2);
    const want = Math.floor(5 * 100 * deltaOf(c2));
    expect(sent).toHaveLength(2);
    expect(describe(sent[1]!)).toBe(`buy ${want} @ 187.56 ioc`);
    fill(h, sent[1]!, want, 187.51, 0);
    expect(Math.abs(s.delta(h.context('hedge')!))).toBeLessThanOrEqual(1);
    // Inside the band: nothing to do. A 4-dollar rally moves the delta out of it: the hedge sells.
    h.onChain(chainAt(187.6, ms(3000)));
    expect(sent).toHaveLength(2);
    h.onBook(book('AAPL', ms(3500), [[191.49, 500]], [[191.51, 500]]));
    const c4 = chainAt(191.5, ms(4000));
    h.onChain(c4);
    const delta = want - 500 * deltaOf(c4);
    expect(delta).toBeLessThan(-50);
    expect(describe(sent[2]!)).toBe(`buy ${Math.floor(-delta)} @ 191.56 ioc`);
    fill(h, sent[2]!, Math.floor(-delta), 191.51, 0);
    const stats = s.stats();
    expect(stats).toMatchObject({ hedges: 2, band: 50, snapshots: 4, out_of_band_snapshots: 2 });
    expect(Math.abs(stats['delta']!)).toBeLessThanOrEqual(1);
    expect(stats['max_abs_delta_after_hedge']!).toBeLessThanOrEqual(1);
  });

  it('waits for its working hedge, and refuses parameters that make no sense', async () => {
    const s = (await createStrategy('hedge', params, '.')) as DeltaHedger;
    const { h, sent } = host('hedge', s);
    h.onBook(book('AAPL', ms(0), [[187.49, 500]], [[187.51, 500]]));
    h.onChain(chainAt(187.5, ms(1000)));
    fill(h, sent[0]!, 5, 1, 0);
    h.onChain(chainAt(187.5, ms(2000)));
    h.onChain(chainAt(187.5, ms(3000)));
    // The hedge sent at 2 s has no outcome yet: no second one on top of it.
    expect(sent.filter((o) => o.symbol === 'AAPL')).toHaveLength(1);
    // It takes part of the touch and the IOC's rest is canceled: the rest is topped up at once.
    const first = sent[1]!;
    const total = first.type === 'SubmitOrder' ? first.quantity : 0;
    fill(h, first, 100, 187.51, total - 100);
    canceled(h, first.clientOrderId, 'AAPL', 'hedge');
    expect(sent).toHaveLength(3);
    expect(describe(sent[2]!)).toBe(`buy ${total - 100} @ 187.56 ioc`);
    await expect(createStrategy('bad', { ...params, option_qty: 0 }, '.')).rejects.toMatchObject({ code: ERR_STRATEGY_PARAMS.code });
  });

  it('refuses an underlying without listed options, and does nothing (saying why) with an option not on it', async () => {
    expect(() => host('hedge', new DeltaHedger('hedge', { ...params, symbol: 'MSFT', slippage_ticks: 5 }))).toThrow(expect.objectContaining({ code: ERR_STRATEGY_NO_CHAIN.code }));
    const s = await createStrategy('hedge', { ...params, option: 'NVDA' }, '.');
    const { h, sent, logs } = host('hedge', s);
    expect(() => h.onChain(chainAt(187.5, ms(1000)))).not.toThrow();
    expect(sent).toHaveLength(0);
    expect(logs.join('')).toContain('NVDA is not an option on AAPL');
  });
});
