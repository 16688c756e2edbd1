import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe as group, expect, it } from 'vitest';
import { envelope } from '@hft/messages';
import { createStrategy, ERR_STRATEGY_PARAMS, ERR_STRATEGY_UNKNOWN_KIND, type Strategy } from '../src/index.js';
import { accept, book, fill, host, ms } from './harness.js';

group('StrategyHost', () => {
  it('tracks orders through denials and fills, ignores duplicate fills, and survives a throwing strategy', () => {
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
    h.onReport({ type: 'OrderDenied', ...envelope(), strategyId: 't', clientOrderId: (sent[1] as { clientOrderId: string }).clientOrderId, symbol: 'AAPL', check: 'max_order_qty', reason: 'too big', values: {} });
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

  it('a cancel the OMS rejects because it has no such open order ends the order; other cancel rejects keep it working', () => {
    let calls = 0;
    const s: Strategy = {
      symbols: ['AAPL'],
      onBook: (_b, ctx) => {
        if (++calls === 1) for (const qty of [10, 20]) ctx.submit({ symbol: 'AAPL', side: 'buy', qty, price: 100 });
      },
    };
    const { h, sent } = host('t', s);
    h.onBook(book('AAPL', ms(0), [[100, 1]], [[100.1, 1]]));
    for (const o of sent) accept(h, o);
    const ctx = h.context('t')!;
    const cancelRejected = (o: (typeof sent)[number], code: string) =>
      h.onReport({ type: 'OrderCancelRejected', ...envelope(), strategyId: 't', clientOrderId: (o as { clientOrderId: string }).clientOrderId, symbol: 'AAPL', orderId: 1, code, reason: 'test' } as never);
    // Ended while the strategy was not told (e.g. reconciled during a restart): the OMS knows no open order.
    cancelRejected(sent[0]!, 'UNKNOWN_ORDER');
    cancelRejected(sent[1]!, 'TOO_LATE_TO_CANCEL');
    expect(ctx.openOrders().map((o) => [o.qty, o.status])).toEqual([[20, 'New']]);
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
