import { describe as group, expect, it } from 'vitest';
import { marketMakerParams, MarketMaker } from '../src/index.js';
import { accept, book, canceled, describe, fill, host, ms } from './harness.js';

const params = (over: Record<string, unknown> = {}) =>
  marketMakerParams.parse({ kind: 'market_maker', symbol: 'AAPL', spread_bps: 10, quote_qty: 100, max_inventory: 150, requote_ms: 100, ...over });

group('MarketMaker', () => {
  it('quotes both sides around the mid, post-only, on the tick grid, carrying the causing tick time', () => {
    const { h, sent } = host('mm', new MarketMaker('mm', params()));
    h.onBook(book('AAPL', ms(0), [[100.0, 500]], [[100.1, 500]]));
    // mid 100.05, half spread 0.050025: bid floor(99.999975) = 99.99, ask ceil(100.100025) = 100.11.
    expect(sent.map(describe)).toEqual(['buy 100 @ 99.99 post', 'sell 100 @ 100.11 post']);
    expect(sent[0]).toMatchObject({ strategyId: 'mm', clientOrderId: 'mm-r-1', symbol: 'AAPL', orderType: 'limit', timeInForce: 'gtc', tsTick: ms(0) + 1000n });
    // Same book again: nothing to do.
    h.onBook(book('AAPL', ms(10), [[100.0, 500]], [[100.1, 500]]));
    expect(sent).toHaveLength(2);
  });

  it('replaces a stale quote when the target moves, but not faster than requote_ms', () => {
    const { h, sent } = host('mm', new MarketMaker('mm', params()));
    h.onBook(book('AAPL', ms(0), [[100.0, 500]], [[100.1, 500]]));
    h.onBook(book('AAPL', ms(50), [[100.1, 500]], [[100.2, 500]]));
    expect(sent).toHaveLength(2);
    h.onBook(book('AAPL', ms(150), [[100.1, 500]], [[100.2, 500]]));
    // mid 100.15: bid floor(100.099925) = 100.09, ask ceil(100.200075) = 100.21.
    expect(sent.slice(2).map(describe)).toEqual(['cancel mm-r-1', 'buy 100 @ 100.09 post', 'cancel mm-r-2', 'sell 100 @ 100.21 post']);
  });

  it('skews away from inventory, never crosses the touch and stops bidding at max inventory', () => {
    const { h, sent } = host('mm', new MarketMaker('mm', params({ inventory_skew_bps: 20 })));
    h.onBook(book('AAPL', ms(0), [[100.0, 500]], [[100.1, 500]]));
    const [bid, ask] = sent;
    accept(h, bid!);
    accept(h, ask!);
    fill(h, bid!, 100, 99.99, 0);
    expect(h.context('mm')!.position('AAPL').qty).toBe(100);
    h.onBook(book('AAPL', ms(200), [[100.0, 500]], [[100.1, 500]]));
    // inventory 100/150: fair = 100.05 * (1 - 20 * 2/3 / 1e4) = 99.9166; the ask target 99.97 would
    // cross the 100.00 bid, so it sits one tick above it; the bid shrinks to the 50 of room left.
    expect(sent.slice(2).map(describe)).toEqual(['buy 50 @ 99.86 post', `cancel ${ask!.clientOrderId}`, 'sell 100 @ 100.01 post']);
    const newBid = sent[2]!;
    fill(h, newBid, 50, 99.86, 0);
    canceled(h, ask!.clientOrderId);
    h.onBook(book('AAPL', ms(400), [[100.0, 500]], [[100.1, 500]]));
    const bids = sent.slice(5).filter((s) => s.type === 'SubmitOrder' && s.side === 'buy');
    expect(bids).toEqual([]);
  });

  it('leans toward the heavier side of the book', () => {
    const { h, sent } = host('mm', new MarketMaker('mm', params({ imbalance_skew_bps: 30, spread_bps: 20 })));
    // imbalance (900 - 100) / 1000 = 0.8: fair = 100.05 * (1 + 24 / 1e4) = 100.29012, so the ask
    // goes to ceil(100.39041) = 100.40 and the bid target 100.18 is held one tick under the ask.
    h.onBook(book('AAPL', ms(0), [[100.0, 900]], [[100.1, 100]]));
    expect(sent.map(describe)).toEqual(['buy 100 @ 100.09 post', 'sell 100 @ 100.4 post']);
  });
});
