import { describe, expect, it } from 'vitest';
import { loadConfig } from '@hft/config';
import { cancelRejectCode, catalog, DENY_CODES, denyCode, encodeMessage, envelope, parseMessage, RISK_CHECKS, wire, type WireName } from '../src/index.js';

describe('wire contract', () => {
  it('names every socket of the config, and every message type it lists is in the catalog', () => {
    const endpoints = Object.keys(loadConfig({ env: {} }).endpoints).sort();
    expect(Object.keys(wire).sort()).toEqual(endpoints);
    for (const [name, c] of Object.entries(wire) as [WireName, (typeof wire)[WireName]][]) {
      const types = 'toOwner' in c ? [...c.toOwner, ...c.toClients] : c.encoding === 'json' ? c.messages : [];
      for (const t of types) expect(Object.hasOwn(catalog, t), `${name}: ${t}`).toBe(true);
    }
  });

  it('a venue order always names the OMS orderId; a strategy order never does', () => {
    const order = { ...envelope(), strategyId: 's', clientOrderId: 'c', symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', price: 1, quantity: 1, tsTick: null };
    expect(parseMessage({ ...JSON.parse(encodeMessage({ type: 'VenueSubmitOrder', ...order, orderId: 1 } as never).toString()), orderId: undefined })).toMatchObject({ ok: false, reason: 'invalid_fields' });
    expect(parseMessage(JSON.parse(encodeMessage({ type: 'SubmitOrder', ...order, orderId: 1 } as never).toString()))).toMatchObject({ ok: false, detail: expect.stringMatching(/Unrecognized key/) });
  });

  it('codes are closed sets: an unknown deny or cancel-reject code is refused on the wire', () => {
    expect(denyCode.safeParse('max_order_qty').success).toBe(true);
    expect(denyCode.safeParse('MAX_ORDER_QTY').success).toBe(false);
    expect(cancelRejectCode.safeParse('UNKNOWN_ORDER').success).toBe(true);
    expect(RISK_CHECKS).not.toContain('canceled_before_receipt');
    expect(new Set(DENY_CODES).size).toBe(DENY_CODES.length);
  });

  it('decodes a stream frame by the contract and names the sequence it carries', () => {
    const e = { type: 'OrderPendingCancel', ...envelope(), seq: 12, strategyId: 'mm', clientOrderId: 'c', symbol: 'AAPL', orderId: 3, reason: 'r' } as const;
    const d = wire.order_events.decode(encodeMessage(e));
    expect(d.ok).toBe(true);
    if (d.ok) expect(wire.order_events.sequence(d.value)).toEqual([['mm', 12]]);
    expect(wire.order_events.decode(encodeMessage({ type: 'SubmitOrder', ...envelope() } as never))).toMatchObject({ ok: false, reason: 'unexpected_type' });
  });
});
