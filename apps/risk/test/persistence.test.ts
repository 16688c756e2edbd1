// Risk state written behind to the real Redis: what a restart loads equals what the process held, and
// risk fails closed while Redis cannot keep up.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '@hft/testing';
import { RiskEngine } from '../src/risk-engine.js';
import { RiskPersistence } from '../src/risk-persistence.js';
import { instruments, LIMITS, order, stream } from './engine-harness.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function open(prefix: string, maxLagMs = 500): Promise<{ e: RiskEngine; p: RiskPersistence; marks: Map<string, number> }> {
  // Coalescing as configured, so `flushed()` is tested cutting the delay short.
  const p = new RiskPersistence(REDIS_URL, prefix, { maxLagMs, maxPending: 100_000, coalesceMs: 10 });
  const e = new RiskEngine(instruments, p, 1000);
  const marks = new Map([['AAPL', 100]]);
  p.bind(e, () => marks);
  await p.connect();
  await until(() => p.up || undefined, 'Redis connected');
  closers.push(() => p.close());
  return { e, p, marks };
}

function cleanup(prefix: string): void {
  closers.unshift(async () => {
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  });
}

describe('risk state in Redis', () => {
  it('a restart loads exactly what the process held: limits, switches, positions, working, reservations, cursors, PnL, marks', async () => {
    const prefix = `test:risk:${randomUUID().slice(0, 8)}:`;
    cleanup(prefix);
    const { e, p } = await open(prefix);
    e.setLimits('default', null, LIMITS, 'test');
    e.setLimits('symbol', 'AAPL', { max_order_qty: 300 }, 'test');
    e.setLimits('strategy', 'ns:with:colons', { max_position: 77 }, 'test');
    e.setRestricted(['GME', 'AMC'], 'test');
    const s = stream();
    const a = order({ quantity: 100 });
    const b = order({ side: 'sell', quantity: 50, symbol: 'BTC-USDT', price: 68000 });
    e.check(a, 100, true);
    e.check(b, 68000, true);
    e.onOrderEvent(s.submitted(a));
    e.onOrderEvent(s.filled(a, 40, 100.5, 0.02));
    e.setKillSwitch({ scope: 'symbol', target: 'MSFT', engaged: true, reason: 'halt', actor: 'rita', ts: 't' });
    p.marksChanged();
    await p.flushed();
    const { e: again, p: p2 } = await open(prefix);
    const { seeded, marks } = await p2.load(again);
    expect(seeded).toBe(true);
    expect(again.positionRows()).toEqual(e.positionRows());
    expect([...again.reservations.values()]).toEqual([...e.reservations.values()]);
    expect(again.cursors).toEqual(e.cursors);
    expect(again.pnlToday('mm')).toBeCloseTo(e.pnlToday('mm'), 9);
    expect(again.limits).toEqual(e.limits);
    expect([...again.restricted].sort()).toEqual(['AMC', 'GME']);
    expect(again.halted('mm', 'MSFT')).toMatchObject({ engaged: true, actor: 'rita' });
    expect(marks.get('AAPL')).toBe(100);
    expect((await p2.auditTrail()).map((x) => x['kind'])).toContain('kill_switch');
    // A removed override is removed in Redis too.
    e.setLimits('symbol', 'AAPL', { max_order_qty: null }, 'test');
    await p.flushed();
    const { e: third, p: p3 } = await open(prefix);
    await p3.load(third);
    expect(third.limits.symbol.get('AAPL') ?? {}).toEqual({});
  });

  it('fails closed while Redis lags past the bound, persists everything once it catches up', async () => {
    const prefix = `test:risk:${randomUUID().slice(0, 8)}:`;
    cleanup(prefix);
    const { e, p } = await open(prefix, 150);
    e.setLimits('default', null, LIMITS, 'test');
    await p.flushed();
    expect(p.health()).toEqual({ ok: true });
    const admin = new Redis(REDIS_URL);
    closers.push(async () => {
      await admin.call('CLIENT', 'UNPAUSE');
      admin.disconnect();
    });
    await admin.call('CLIENT', 'PAUSE', '700', 'WRITE');
    for (let i = 0; i < 5; i++) e.check(order({ quantity: 10 }), 100, true);
    await until(() => !p.health().ok || undefined, 'health goes bad');
    expect(p.health()).toMatchObject({ ok: false, why: expect.stringMatching(/persistence lags \d+ ms behind \(bound 150 ms\)/) });
    await until(() => p.health().ok || undefined, 'health recovers', 5000);
    await p.flushed();
    const { e: again, p: p2 } = await open(prefix);
    await p2.load(again);
    expect(again.workingOf('mm', 'AAPL')).toEqual({ buy: 50, sell: 0 });
  });

  it('says why when Redis is away, and answers a kill-switch flush with an error rather than a hang', async () => {
    const p = new RiskPersistence('redis://127.0.0.1:1/0', 'x:', { maxLagMs: 500, maxPending: 10, connectTimeoutMs: 200 });
    const e = new RiskEngine(instruments, p);
    p.bind(e, () => new Map());
    await p.connect();
    closers.push(() => p.close());
    expect(p.health()).toMatchObject({ ok: false, why: expect.stringMatching(/risk state store \(Redis\) unreachable/) });
    e.setKillSwitch({ scope: 'global', target: null, engaged: true, reason: 'x', actor: 'a', ts: 't' });
    await expect(p.flushed(300)).rejects.toThrow(/not persisted in Redis within 300 ms/);
    expect(e.halted('s', 'AAPL')).not.toBeNull();
  });
});
