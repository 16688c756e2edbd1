import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe as group, expect, it } from 'vitest';
import { envelope } from '@hft/messages';
import { createStrategy, ERR_STRATEGY_PARAMS, ERR_STRATEGY_UNKNOWN_KIND, type Strategy } from '../src/index.js';
import { accept, book, fill, host, hostWith, ms } from './harness.js';

group('StrategyHost', () => {
  it('tracks orders through denials and fills on the shared lifecycle, and survives a throwing strategy', () => {
    let calls = 0;
    const s: Strategy = {
      symbols: ['AAPL'],
      onBook: (_b, ctx) => {
        calls++;
        if (calls === 1) {
          ctx.submit({ symbol: 'AAPL', side: 'buy', qty: 10, price: 100 });
          ctx.submit({ symbol: 'AAPL', side: 'buy', qty: 5, price: 100 });
        }
        if (calls === 2) throw new Error('bug in strategy');
      },
    };
    const { h, sent, logs } = host('t', s);
    h.onBook(book('AAPL', ms(0), [[100, 1]], [[100.1, 1]]));
    const ctx = h.context('t')!;
    expect(ctx.openOrders().map((o) => o.status)).toEqual(['PendingNew', 'PendingNew']);
    h.onOrderEvent({ type: 'OrderDenied', ...envelope(), strategyId: 't', clientOrderId: (sent[1] as { clientOrderId: string }).clientOrderId, symbol: 'AAPL', orderId: null, code: 'max_order_qty', reason: 'too big', values: {} });
    accept(h, sent[0]!);
    expect(ctx.openOrders().map((o) => o.status)).toEqual(['New']);
    fill(h, sent[0]!, 4, 100, 6, 4);
    expect(ctx.openOrders()[0]).toMatchObject({ status: 'PartiallyFilled', cumQty: 4, leavesQty: 6 });
    // Status is served as JSON over HTTP, so it must survive JSON.stringify with orders open.
    expect(JSON.parse(JSON.stringify(h.status()))[0].openOrders).toMatchObject([{ status: 'PartiallyFilled', sentAt: String(ms(0)) }]);
    h.onBook(book('AAPL', ms(1), [[100, 1]], [[100.1, 1]]));
    expect(logs.join('')).toContain('strategy hook threw');
    fill(h, sent[0]!, 6, 100.5, 0, 10);
    expect(ctx.openOrders()).toEqual([]);
    expect(ctx.position('AAPL')).toMatchObject({ qty: 10, avgPx: 100.3 });
    const st = h.status()[0]!;
    expect(st.positions[0]).toMatchObject({ symbol: 'AAPL', qty: 10, mark: 100.05 });
    expect(st.pnl).toBeCloseTo(10 * (100.05 - 100.3), 9);
  });

  it('a rejected cancel puts the order back where it was; an order with no outcome in time is voided once', () => {
    let calls = 0;
    const s: Strategy = {
      symbols: ['AAPL'],
      onBook: (_b, ctx) => {
        if (++calls === 1) for (const qty of [10, 20]) ctx.submit({ symbol: 'AAPL', side: 'buy', qty, price: 100 });
      },
    };
    const { h, sent } = hostWith('t', s, 1000);
    h.onBook(book('AAPL', ms(0), [[100, 1]], [[100.1, 1]]));
    accept(h, sent[0]!);
    const ctx = h.context('t')!;
    const first = (sent[0] as { clientOrderId: string }).clientOrderId;
    expect(ctx.cancel(first)).toBe(true);
    expect(ctx.cancel(first)).toBe(false);
    expect(ctx.openOrders().map((o) => o.status)).toEqual(['PendingCancel', 'PendingNew']);
    h.onOrderEvent({ type: 'OrderCancelRejected', ...envelope(), seq: 3, strategyId: 't', clientOrderId: first, symbol: 'AAPL', orderId: 1001, code: 'TOO_LATE_TO_CANCEL', reason: 'test' } as never);
    expect(ctx.openOrders().map((o) => [o.qty, o.status])).toEqual([[10, 'New'], [20, 'PendingNew']]);
    // The second order's command was lost on the way: no OrderSubmitted, no denial.
    h.sweep(Date.now() + 500);
    expect(sent.filter((c) => c.type === 'CancelOrder')).toHaveLength(1);
    h.sweep(Date.now() + 5000);
    h.sweep(Date.now() + 9000);
    expect(sent.filter((c) => c.type === 'CancelOrder').map((c) => c.clientOrderId)).toEqual([first, (sent[1] as { clientOrderId: string }).clientOrderId]);
  });

  it('restores positions and open orders from the OMS state and goes on from its sequence', () => {
    const { h } = host('t', { symbols: ['AAPL'] });
    h.restore({ strategyId: 't', seq: 17, positions: [{ strategy: 't', symbol: 'AAPL', qty: 30, avgPx: 99.5, realized: 1, fees: 0.1 }], openOrders: [{ orderId: 9, strategyId: 't', clientOrderId: 'old-1', symbol: 'AAPL', side: 'sell', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 101, quantity: 50, status: 'PartiallyFilled', cumQty: 20, leavesQty: 30, avgPx: 101, acked: true }] });
    const ctx = h.context('t')!;
    expect(ctx.position('AAPL')).toMatchObject({ qty: 30, avgPx: 99.5 });
    expect(ctx.openOrders()).toMatchObject([{ clientOrderId: 'old-1', orderId: 9, status: 'PartiallyFilled', cumQty: 20, leavesQty: 30, tag: 'restored' }]);
    expect(h.cursors().get('t')).toBe(17);
    h.onOrderEvent({ type: 'OrderFilled', ...envelope(), seq: 18, strategyId: 't', clientOrderId: 'old-1', symbol: 'AAPL', orderId: 9, execId: 'R1', side: 'sell', lastPx: 101, lastQty: 30, cumQty: 50, leavesQty: 0, avgPx: 101, liquidity: 'maker', fee: 0, tsTick: null });
    expect(ctx.openOrders()).toEqual([]);
    expect(ctx.position('AAPL').qty).toBe(0);
    expect(h.cursors().get('t')).toBe(18);
  });

  it('creates built-ins from config entries, validating params, and loads plugin modules', async () => {
    await expect(createStrategy('x', { kind: 'nope', symbol: 'AAPL' }, '.')).rejects.toSatisfy((e) => ERR_STRATEGY_UNKNOWN_KIND.is(e));
    await expect(createStrategy('x', { kind: 'market_maker', symbol: 'AAPL', spread_bps: -1, quote_qty: 1, max_inventory: 1 }, '.')).rejects.toSatisfy(
      (e) => ERR_STRATEGY_PARAMS.is(e) && /spread_bps/.test((e as Error).message),
    );
    const dir = mkdtempSync(join(tmpdir(), 'plugin-'));
    writeFileSync(
      join(dir, 'buy-once.mjs'),
      `export default { kind: 'buy_once', params: { safeParse: (p) => ({ success: true, data: p }) },
        create: (id, p) => ({ symbols: [p.symbol], done: false, onBook(b, ctx) { if (!this.done) { this.done = true; ctx.submit({ symbol: p.symbol, side: 'buy', qty: p.qty, price: b.asks[0].price }); } } }) };`,
    );
    const plugin = await createStrategy('p', { module: 'buy-once.mjs', symbol: 'AAPL', qty: 3 }, dir);
    const { h, sent } = host('p', plugin);
    h.onBook(book('AAPL', ms(0), [[100, 1]], [[100.1, 1]]));
    expect(sent).toMatchObject([{ type: 'SubmitOrder', strategyId: 'p', quantity: 3, price: 100.1 }]);
  });
});
