// Every pre-trade check, pass and fail edge, against the real Redis (the Lua script is the code).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Position } from '@hft/portfolio';
import type { RiskStore } from '../src/risk-store.js';
import { LIMITS, order, store } from './store-harness.js';

let s: RiskStore;
let drop: () => Promise<void>;
beforeEach(async () => ({ s, drop } = await store()));
afterEach(async () => drop());

const check = async (over: Parameters<typeof order>[0] = {}) => s.check(order(over));

describe('pre-trade checks (Lua in Redis)', () => {
  it('approves a plain order and reserves its working quantity', async () => {
    const r = await check({ clientOrderId: 'a1' });
    expect(r).toMatchObject({ ok: true, values: { position: 0, projected: 100, notional: 10_000 } });
    expect((await s.positions())).toEqual([]);
    expect(await s.redis.hget(s.key('working', 'mm', 'AAPL'), 'buy')).toBe('100');
  });

  it('max_order_qty: at the limit passes, one lot above fails; symbol overrides apply', async () => {
    expect((await check({ qty: LIMITS.max_order_qty, price: 100 })).ok).toBe(true);
    expect(await check({ qty: LIMITS.max_order_qty + 1 })).toMatchObject({ ok: false, check: 'max_order_qty', values: { limit: 1000, requested: 1001 } });
    expect(await check({ symbol: 'BTC-USDT', qty: 6, price: 10, reference: 10 })).toMatchObject({ ok: false, check: 'max_order_qty', values: { limit: 5 } });
    expect((await check({ symbol: 'BTC-USDT', qty: 5, price: 10, reference: 10 })).ok).toBe(true);
  });

  it('max_notional: qty x price, or x the reference for market orders', async () => {
    expect((await check({ qty: 1000, price: 200, reference: 200 })).ok).toBe(true);
    expect(await check({ qty: 1000, price: 200.01, reference: 200 })).toMatchObject({ ok: false, check: 'max_notional', values: { limit: 200_000 } });
    expect(await check({ qty: 1000, price: null, reference: 200.02 })).toMatchObject({ ok: false, check: 'max_notional' });
  });

  it('price_band: within 500 bps of the reference passes, beyond fails; no reference fails closed', async () => {
    expect((await check({ price: 105, qty: 1 })).ok).toBe(true);
    expect((await check({ price: 95, qty: 1 })).ok).toBe(true);
    const r = await check({ price: 105.01, qty: 1 });
    expect(r).toMatchObject({ ok: false, check: 'price_band', values: { limit: 500, price: 105.01, reference: 100 } });
    expect(r.reason).toMatch(/price 105\.01 is 501\.0 bps from the reference 100/);
    expect(await check({ reference: null })).toMatchObject({ ok: false, check: 'reference_price' });
  });

  it('max_position counts the position, working orders and the order; reducing orders always pass', async () => {
    expect((await check({ qty: 1000 })).ok).toBe(true);
    expect((await check({ qty: 1000 })).ok).toBe(true);
    expect(await check({ qty: 1 })).toMatchObject({ ok: false, check: 'max_position', values: { limit: 2000, working_buy: 2000, projected: 2001 } });
    // Fill 2000: position 2000, working 0.
    await s.fill({ strategy: 'mm', symbol: 'AAPL', clientOrderId: 'x', execId: 'E-pos', side: 'buy', px: 100, qty: 2000, fee: 0, leaves: 0 });
    expect(await check({ qty: 1 })).toMatchObject({ ok: false, check: 'max_position', values: { position: 2000 } });
    expect((await check({ side: 'sell', qty: 1000 })).ok).toBe(true);
    // Lower the limit below the position: buys fail, sells that shrink the position still pass.
    await s.setLimits('default', null, { max_position: 500 });
    expect((await check({ side: 'sell', qty: 500 })).ok).toBe(true);
  });

  it('daily_loss: realised + unrealised at the limit stops risk-increasing orders, not reducing ones', async () => {
    await s.fill({ strategy: 'mm', symbol: 'AAPL', clientOrderId: 'x1', execId: 'E-l1', side: 'buy', px: 100, qty: 1000, fee: 0, leaves: 0 });
    // Marked at 95: unrealised -5000 = the limit.
    expect(await check({ reference: 95, price: 95, qty: 1 })).toMatchObject({ ok: false, check: 'daily_loss', values: { limit: 5000, pnl: -5000, unrealized: -5000 } });
    expect((await check({ reference: 95.01, price: 95.01, qty: 1 })).ok).toBe(true);
    expect((await check({ reference: 95, price: 95, side: 'sell', qty: 500 })).ok).toBe(true);
    // Realise it: sell 1000 at 95 -> realised -5000, flat; a new buy is risk-increasing and fails.
    await s.fill({ strategy: 'mm', symbol: 'AAPL', clientOrderId: 'x2', execId: 'E-l2', side: 'sell', px: 95, qty: 1000, fee: 0, leaves: 0 });
    expect(await check({ reference: 95, price: 95, qty: 1 })).toMatchObject({ ok: false, check: 'daily_loss', values: { realized: -5000 } });
    expect(await s.pnlToday('mm')).toBe(-5000);
  });

  it('message_rate per strategy per second; the strategy override applies', async () => {
    await s.setLimits('strategy', 'slow', { max_orders_per_sec: 5 });
    // Start well inside a wall-clock second so the burst cannot straddle two windows.
    while (Date.now() % 1000 > 500) await new Promise((r) => setTimeout(r, 10));
    const results = await Promise.all(Array.from({ length: 8 }, () => check({ strategy: 'slow', qty: 1 })));
    expect(results.map((r) => (r.ok ? 'ok' : r.check))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'message_rate', 'message_rate', 'message_rate']);
    expect(results[5]!.values).toEqual({ limit: 5, count: 6 });
    const fast = await Promise.all(Array.from({ length: 60 }, () => check({ strategy: 'fast', qty: 1 })));
    expect(fast.every((r) => r.ok)).toBe(true);
  });

  it('duplicate clientOrderId, restricted symbols, and check mode writes nothing', async () => {
    expect((await check({ clientOrderId: 'dup' })).ok).toBe(true);
    expect(await check({ clientOrderId: 'dup' })).toMatchObject({ ok: false, check: 'duplicate_client_order_id' });
    // Another strategy may reuse the id.
    expect((await check({ clientOrderId: 'dup', strategy: 'other' })).ok).toBe(true);
    expect(await check({ symbol: 'GME' })).toMatchObject({ ok: false, check: 'restricted_symbol' });
    const before = await s.redis.hget(s.key('working', 'mm', 'AAPL'), 'buy');
    expect((await check({ mode: 'check', clientOrderId: 'probe' })).ok).toBe(true);
    expect(await s.redis.hget(s.key('working', 'mm', 'AAPL'), 'buy')).toBe(before);
    expect((await check({ mode: 'submit', clientOrderId: 'probe' })).ok).toBe(true);
  });

  it('kill-switch: global, strategy and symbol scopes deny every new order, reducing ones too, until released', async () => {
    await s.fill({ strategy: 'mm', symbol: 'AAPL', clientOrderId: 'k', execId: 'E-k', side: 'buy', px: 100, qty: 10, fee: 0, leaves: 0 });
    for (const [scope, target] of [['global', null], ['strategy', 'mm'], ['symbol', 'AAPL']] as const) {
      await s.setKillSwitch({ scope, target, engaged: true, reason: 'drill', actor: 'alice', ts: 't' });
      expect(await check({ qty: 1 })).toMatchObject({ ok: false, check: 'kill_switch', values: { scope, actor: 'alice' } });
      expect(await check({ side: 'sell', qty: 5 })).toMatchObject({ ok: false, check: 'kill_switch' });
      await s.setKillSwitch({ scope, target, engaged: false, reason: 'drill over', actor: 'alice', ts: 't2' });
      expect((await check({ qty: 1 })).ok).toBe(true);
    }
    // Other strategies and symbols are not affected by scoped switches.
    await s.setKillSwitch({ scope: 'symbol', target: 'MSFT', engaged: true, reason: 'x', actor: 'a', ts: 't' });
    expect((await check({ qty: 1 })).ok).toBe(true);
    const trail = (await s.auditTrail()).filter((a) => a['kind'] === 'kill_switch');
    expect(trail).toHaveLength(7);
    expect(trail[0]).toMatchObject({ scope: 'symbol', target: 'MSFT', engaged: true, actor: 'a' });
    expect(trail.at(-1)).toMatchObject({ scope: 'global', target: null, engaged: true, reason: 'drill', actor: 'alice' });
  });

  it('positions follow fills exactly like the portfolio Position, once per execId, and release working quantity', async () => {
    const ref = new Position('AAPL');
    let seed = 3;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 200; i++) {
      const side = rand() < 0.5 ? 'buy' : 'sell';
      const px = Math.round((95 + rand() * 10) * 100) / 100;
      const qty = 1 + Math.floor(rand() * 300);
      ref.onFill(side, px, qty, 0.01);
      expect(await s.fill({ strategy: 'eq', symbol: 'AAPL', clientOrderId: `o${i}`, execId: `EQ${i}`, side, px, qty, fee: 0.01, leaves: 0 })).toBe(true);
    }
    expect(await s.fill({ strategy: 'eq', symbol: 'AAPL', clientOrderId: 'o0', execId: 'EQ0', side: 'buy', px: 1, qty: 1, fee: 0, leaves: 0 })).toBe(false);
    const [p] = await s.positions();
    expect(p!.qty).toBeCloseTo(ref.qty, 9);
    expect(p!.avgPx).toBeCloseTo(ref.avgPx, 9);
    expect(p!.realized).toBeCloseTo(ref.realized, 6);
    expect(p!.fees).toBeCloseTo(ref.fees, 9);
    expect(await s.pnlToday('eq')).toBeCloseTo(ref.realized - ref.fees, 6);
    // Working quantity: approve 300, fill 100 (leaves 200), cancel the rest.
    expect((await check({ strategy: 'w', clientOrderId: 'w1', qty: 300 })).ok).toBe(true);
    await s.fill({ strategy: 'w', symbol: 'AAPL', clientOrderId: 'w1', execId: 'EW1', side: 'buy', px: 100, qty: 100, fee: 0, leaves: 200 });
    expect(await s.redis.hget(s.key('working', 'w', 'AAPL'), 'buy')).toBe('200');
    expect(await s.done('w', 'AAPL', 'w1')).toBe(200);
    expect(await s.redis.hget(s.key('working', 'w', 'AAPL'), 'buy')).toBe('0');
    expect(await s.done('w', 'AAPL', 'w1')).toBe(0);
  });

  it('fails closed when no limits are loaded', async () => {
    await s.redis.del(s.key('limits', 'default'));
    expect(await check()).toMatchObject({ ok: false, check: 'limits_unavailable' });
  });

  it('keeps everything across a reconnect (state lives in Redis, not in the process)', async () => {
    await s.fill({ strategy: 'mm', symbol: 'AAPL', clientOrderId: 'r', execId: 'E-r', side: 'buy', px: 100, qty: 7, fee: 0, leaves: 0 });
    await s.setKillSwitch({ scope: 'global', target: null, engaged: true, reason: 'persist', actor: 'alice', ts: 't' });
    await s.setLimits('symbol', 'AAPL', { max_order_qty: 3 });
    const { RiskStore } = await import('../src/risk-store.js');
    const again = new RiskStore(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0', s.key(''), { duplicateWindowS: 60 });
    await again.connect();
    expect(await again.seedLimits({ default_limits: LIMITS, symbol_limits: {}, strategy_limits: {}, restricted_symbols: [] })).toBe(false);
    expect((await again.positions())[0]).toMatchObject({ qty: 7, avgPx: 100 });
    expect((await again.killSwitches())[0]).toMatchObject({ engaged: true, reason: 'persist' });
    expect((await again.limits()).symbols['AAPL']).toEqual({ max_order_qty: 3 });
    await again.close();
  });
});
