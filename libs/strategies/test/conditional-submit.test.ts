import { describe, expect, it } from 'vitest';
import { envelope } from '@hft/messages';
import type { Strategy, StrategyContext } from '../src/index.js';
import { fill, hostWith, trade, type Sent } from './harness.js';

describe('ctx.submit with conditional types', () => {
  it('places a bracket in the trigger engine, tracks its children as they appear, and cancels it by its id', () => {
    let ctx!: StrategyContext;
    const s: Strategy = { symbols: ['AAPL'], onTick: (_t, c) => void (ctx = c) };
    const { h, sent, conditional } = hostWith('bo', s, 0);
    h.onTick(trade('AAPL', 1_000n, 187.5, 1), null);
    const id = ctx.submit({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', triggerPrice: 187.6, target: 187.9, stopLoss: 187.45, stopLossTrailingGap: 0.05, tag: 'breakout' });
    expect(id).toBe('bo-r-1');
    expect(sent).toEqual([]);
    expect(conditional[0]).toMatchObject({
      type: 'PlaceConditionalOrder',
      strategyId: 'bo',
      conditionalId: 'bo-r-1',
      symbol: 'AAPL',
      side: 'buy',
      quantity: 10,
      entry: { kind: 'stop', triggerOn: 'last', triggerPrice: 187.6 },
      legs: [
        { kind: 'limit_if_touched', triggerOn: 'last', triggerPrice: 187.9, limitPrice: 187.9 },
        { kind: 'trailing_stop', triggerOn: 'last', triggerPrice: 187.45, trailingGap: 0.05 },
      ],
    });
    // The entry's child, released by the engine, shows up on the stream and is tracked with the bracket's tag.
    const child: Sent = { type: 'SubmitOrder', ...envelope(), strategyId: 'bo', clientOrderId: 'bo-r-1:entry', symbol: 'AAPL', side: 'buy', orderType: 'market', timeInForce: 'ioc', price: null, quantity: 10, tsTick: null };
    fill(h, child, 10, 187.61, 0);
    expect(ctx.position('AAPL').qty).toBe(10);
    expect(ctx.cancel('bo-r-1')).toBe(true);
    expect(conditional[1]).toMatchObject({ type: 'CancelConditionalOrder', strategyId: 'bo', conditionalId: 'bo-r-1' });
    // An OCO on the position: no entry, two exits.
    ctx.submit({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'oco', target: 188, stopLoss: 187.2 });
    expect(conditional[2]).toMatchObject({ entry: null, legs: [{ kind: 'limit_if_touched' }, { kind: 'stop', triggerPrice: 187.2 }] });
  });

  it('adopts a child order from its OrderSubmitted', () => {
    let ctx!: StrategyContext;
    const s: Strategy = { symbols: ['AAPL'], onTick: (_t, c) => void (ctx = c) };
    const { h } = hostWith('bo', s, 0);
    h.onTick(trade('AAPL', 1_000n, 187.5, 1), null);
    ctx.submit({ symbol: 'AAPL', side: 'sell', qty: 5, type: 'stop_limit', triggerPrice: 187.3, price: 187.25 });
    h.onOrderEvent({ type: 'OrderSubmitted', ...envelope(), seq: 1, strategyId: 'bo', clientOrderId: 'bo-r-1:entry', symbol: 'AAPL', side: 'sell', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 187.25, quantity: 5, tsTick: null, orderId: 77 } as never);
    expect(ctx.openOrders('AAPL').map((o) => [o.clientOrderId, o.orderId, o.status])).toEqual([['bo-r-1:entry', 77, 'PendingNew']]);
  });
});

describe('ctx.replace', () => {
  it('sends a ReplaceOrder with the new terms, holds a second one until the answer, and follows OrderReplaced', () => {
    let ctx!: StrategyContext;
    const s: Strategy = { symbols: ['AAPL'], onTick: (_t, c) => void (ctx = c) };
    const { h, sent } = hostWith('mm', s, 0);
    h.onTick(trade('AAPL', 1_000n, 187.5, 1), null);
    const id = ctx.submit({ symbol: 'AAPL', side: 'buy', qty: 10, price: 187.4 })!;
    h.onOrderEvent({ type: 'OrderAccepted', ...envelope(), seq: 1, strategyId: 'mm', clientOrderId: id, symbol: 'AAPL', orderId: 5, side: 'buy', price: 187.4, quantity: 10, tsTick: null } as never);
    expect(ctx.replace(id, { price: 187.45 })).toBe(true);
    expect(sent.at(-1)).toMatchObject({ type: 'ReplaceOrder', strategyId: 'mm', clientOrderId: id, orderId: 5, price: 187.45, quantity: 10 });
    expect(ctx.replace(id, { qty: 20 })).toBe(false);
    h.onOrderEvent({ type: 'OrderReplaced', ...envelope(), seq: 2, strategyId: 'mm', clientOrderId: id, symbol: 'AAPL', orderId: 5, price: 187.45, quantity: 10, cumQty: 0, leavesQty: 10, keptPriority: false } as never);
    expect(ctx.openOrders('AAPL')[0]).toMatchObject({ clientOrderId: id, price: 187.45 });
    expect(ctx.replace(id, { qty: 20 })).toBe(true);
    expect(ctx.replace('nope', { qty: 1 })).toBe(false);
  });
});
