import { describe as group, expect, it } from 'vitest';
import { VwapExecution, vwapParams } from '../src/index.js';
import { accept, book, describe, fill, host, ms, trade } from './harness.js';

group('VwapExecution', () => {
  it('slices the parent by the traded-volume profile and reports VWAP achieved vs market', () => {
    const s = new VwapExecution('vw', vwapParams.parse({ kind: 'vwap', symbol: 'AAPL', side: 'buy', quantity: 100, horizon_s: 10, slices: 5 }));
    const { h, sent } = host('vw', s);
    h.onBook(book('AAPL', ms(0), [[100.0, 500]], [[100.02, 500]]));
    // First trade starts the horizon: slice 1 = 100 / 5 = 20 at the ask.
    h.onTick(trade('AAPL', ms(1), 100.02, 1000), null);
    expect(sent.map(describe)).toEqual(['buy 20 @ 100.02 ioc']);
    fill(h, sent[0]!, 20, 100.02, 0);
    // Interval 1 traded 1000 (the average): slice 2 = 80 / 4 = 20.
    h.onTick(trade('AAPL', ms(2001), 100.04, 3000), null);
    expect(sent.map(describe).slice(1)).toEqual(['buy 20 @ 100.02 ioc']);
    fill(h, sent[1]!, 20, 100.03, 0);
    // Interval 2 traded 3000 against an average of 2000: weight 1.5, slice 3 = 60 * 1.5 / 3.5 = 25.
    h.onTick(trade('AAPL', ms(4001), 100.0, 500), null);
    expect(sent.map(describe).slice(2)).toEqual(['buy 25 @ 100.02 ioc']);
    // Nothing fills (IOC expired): interval 3 volume 500 vs avg 1500 -> weight 1/3, slice 4 = 60 * 0.333 / 1.333 = 15.
    h.onOrderEvent({ type: 'OrderExpired', eventId: 'x', tsEvent: 1n, tsInit: 1n, causationId: null, strategyId: 'vw', clientOrderId: (sent[2] as { clientOrderId: string }).clientOrderId, symbol: 'AAPL', orderId: 3, expiredQty: 25, cumQty: 0 });
    h.onTick(trade('AAPL', ms(6001), 100.0, 100), null);
    expect(sent.map(describe).slice(3)).toEqual(['buy 15 @ 100.02 ioc']);
    fill(h, sent[3]!, 15, 100.02, 0);
    // The last slice takes what is left: 100 - 55 = 45.
    h.onTick(trade('AAPL', ms(8001), 100.0, 100), null);
    expect(sent.map(describe).slice(4)).toEqual(['buy 45 @ 100.02 ioc']);
    fill(h, sent[4]!, 45, 100.02, 0);
    expect(s.filled).toBe(100);
    const st = s.stats();
    expect(st['filled_ratio']).toBe(1);
    expect(st['achieved_vwap']).toBeCloseTo((20 * 100.02 + 20 * 100.03 + 15 * 100.02 + 45 * 100.02) / 100, 9);
    const market = (1000 * 100.02 + 3000 * 100.04 + 500 * 100 + 100 * 100 + 100 * 100) / 4700;
    expect(st['market_vwap']).toBeCloseTo(market, 9);
    expect(st['slippage_bps']).toBeCloseTo(((st['achieved_vwap']! - market) / market) * 1e4, 9);
    // Horizon over: no more children.
    h.onTick(trade('AAPL', ms(12001), 100.0, 100), null);
    expect(sent).toHaveLength(5);
  });
});

group('VwapExecution, passive children', () => {
  it('rests each child until the next slice, then cancels it and rolls what is left into the next child', () => {
    const s = new VwapExecution('vw', vwapParams.parse({ kind: 'vwap', symbol: 'BTC-USDT', side: 'buy', quantity: 1, horizon_s: 10, slices: 2, child: 'passive' }));
    const { h, sent } = host('vw', s);
    // Trades only (no book): the child rests at the last trade price.
    h.onTick(trade('BTC-USDT', ms(1), 68000.5, 0.1), null);
    expect(sent.map(describe)).toEqual(['buy 0.5 @ 68000.5']);
    accept(h, sent[0]!);
    fill(h, sent[0]!, 0.2, 68000.5, 0.3, 0.2);
    h.onTick(trade('BTC-USDT', ms(5001), 68001.0, 0.1), null);
    // Slice 2: cancel the resting 0.3; while the cancel is in flight it still counts as working.
    expect(sent.map(describe).slice(1)).toEqual([`cancel ${(sent[0] as { clientOrderId: string }).clientOrderId}`, 'buy 0.5 @ 68001']);
  });
});
