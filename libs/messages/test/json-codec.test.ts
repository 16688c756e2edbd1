import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, envelope, MAX_JSON_FRAME, type MessageInput } from '../src/index.js';

const order = (): MessageInput<'SubmitOrder'> => ({
  type: 'SubmitOrder',
  ...envelope(),
  strategyId: 'mm_aapl',
  clientOrderId: 'mm_aapl-1',
  symbol: 'AAPL',
  side: 'buy',
  orderType: 'limit',
  timeInForce: 'gtc',
  price: 187.25,
  quantity: 100,
  tsTick: 1_763_900_000_123_456_789n,
});

function reasonOf(frame: Uint8Array | string, expected?: readonly ('SubmitOrder' | 'CancelOrder')[]): string {
  const r = decodeMessage(typeof frame === 'string' ? Buffer.from(frame) : frame, expected);
  return r.ok ? 'ok' : `${r.reason}: ${r.detail}`;
}

describe('JSON codec', () => {
  it('round-trips a command with nanosecond bigints as decimal strings and fills defaults', () => {
    const msg = order();
    const frame = encodeMessage(msg);
    expect(JSON.parse(frame.toString()).tsTick).toBe('1763900000123456789');
    const r = decodeMessage(frame, ['SubmitOrder']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({ ...msg, postOnly: false });
    expect(typeof r.value.tsEvent).toBe('bigint');
  });

  it('round-trips every event shape used on the order path', () => {
    const base = { ...envelope(), strategyId: 's1', clientOrderId: 'c1', symbol: 'MSFT' };
    const msgs: MessageInput<never>[] = [
      { type: 'OrderDenied', ...base, orderId: null, code: 'max_order_qty', reason: 'qty 500 > limit 100', values: { limit: 100, requested: 500 } },
      { type: 'OrderSubmitted', ...base, seq: 3, orderId: 7, side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: true, price: 10.5, quantity: 3, tsTick: 9n },
      { type: 'OrderPendingCancel', ...base, seq: 4, orderId: 7, reason: 'requote' },
      { type: 'VenueSubmitOrder', ...base, orderId: 7, side: 'buy', orderType: 'limit', timeInForce: 'ioc', postOnly: false, price: 10.5, quantity: 3, tsTick: null },
      { type: 'OrderStreamHeads', ...envelope(), heads: { s1: 4, 'ns:x': 0 } },
      { type: 'OrderAccepted', ...base, orderId: 7, side: 'sell', price: 10.5, quantity: 3, tsTick: null },
      { type: 'OrderFilled', ...base, orderId: 7, execId: 'E-1', side: 'sell', lastPx: 10.5, lastQty: 1, cumQty: 1, leavesQty: 2, avgPx: 10.5, liquidity: 'maker', fee: -0.01, tsTick: 5n },
      { type: 'OrderCanceled', ...base, orderId: 7, canceledQty: 2, cumQty: 1, reason: 'kill-switch' },
      { type: 'KillSwitchChanged', ...envelope(), scope: 'symbol', target: 'MSFT', engaged: true, reason: 'fat finger', actor: 'alice' },
    ] as never;
    for (const m of msgs) {
      const r = decodeMessage(encodeMessage(m));
      expect(r.ok ? r.value : r).toEqual(m);
    }
  });

  it('turns every kind of malformed frame into a drop with a reason, never a throw', () => {
    expect(reasonOf('{"type":')).toMatch(/^malformed_json/);
    expect(reasonOf('[1,2]')).toBe('not_an_object: got array');
    expect(reasonOf('"x"')).toBe('not_an_object: got string');
    expect(reasonOf('{"type":"Nope"}')).toBe('unknown_type: type "Nope" is not in the catalog');
    expect(reasonOf('{"type":"toString"}')).toMatch(/^unknown_type/);
    expect(reasonOf(encodeMessage(order()), ['CancelOrder'])).toBe('unexpected_type: SubmitOrder is not accepted here (expected CancelOrder)');
    expect(reasonOf(encodeMessage({ ...order(), price: null }))).toBe(
      'invalid_fields: SubmitOrder: price: limit orders need a price and market orders must not have one',
    );
    expect(reasonOf(encodeMessage({ ...order(), quantity: -5 }))).toMatch(/^invalid_fields: SubmitOrder: quantity: /);
    const { eventId: _drop, ...noId } = order();
    expect(reasonOf(encodeMessage(noId as never))).toMatch(/^invalid_fields: SubmitOrder: eventId/);
    expect(reasonOf(encodeMessage({ ...order(), tsTick: 1.5 as never }))).toMatch(/tsTick/);
    expect(reasonOf(encodeMessage({ ...order(), extra: 1 } as never))).toMatch(/Unrecognized key/);
    expect(reasonOf(Buffer.alloc(MAX_JSON_FRAME + 1, 32))).toMatch(/^too_large/);
  });

  it('never throws on random bytes', () => {
    let seed = 1;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)));
      expect(decodeMessage(bytes).ok).toBe(false);
    }
  });
});
