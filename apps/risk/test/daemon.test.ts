// The risk daemon as it runs, with the real OMS, venue and security daemon; the test plays market
// data and a strategy. Redis is a private server where the test pauses or crashes it.
import { Redis } from 'ioredis';
import type { Message } from '@hft/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { aaplChainSnapshot, freePorts, startPrivateRedis, until } from '@hft/testing';
import { eventOf, riskRig, type RiskRig } from './risk-rig.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

async function rig(env: Record<string, string> = {}): Promise<{ r: RiskRig; redis: Awaited<ReturnType<typeof startPrivateRedis>> }> {
  const [port] = await freePorts(1);
  const redis = await startPrivateRedis(port!);
  closers.push(() => redis.stop());
  const r = await riskRig({ REDIS_URL: redis.url, ...env });
  closers.push(() => r.stop());
  r.book(99.95, 100.05);
  await until(async () => (await r.api('GET', '/health')).status === 200 || undefined, 'risk ready', 30_000);
  return { r, redis };
}

type Status = { positions: { strategy: string; symbol: string; workingBuy: number; workingSell: number }[]; persistence: { ok: boolean } };

describe('risk daemon (real processes)', () => {
  it('approves through the OMS, denies with the check straight back, and a kill-switch stops new orders and cancels working ones', async () => {
    const { r } = await rig();
    const ok = r.submit({ price: 99, quantity: 10 });
    expect(await eventOf(r, ok.clientOrderId, 'OrderSubmitted')).toMatchObject({ strategyId: 'mm', quantity: 10, price: 99 });
    await eventOf(r, ok.clientOrderId, 'OrderAccepted');
    const big = r.submit({ quantity: 20_000 });
    const denied = await until(() => r.denials.find((d) => d.type === 'OrderDenied' && d.clientOrderId === big.clientOrderId), 'the denial');
    expect(denied).toMatchObject({ code: 'max_order_qty', orderId: null, values: { limit: 10_000, requested: 20_000 } });
    expect(r.events.some((e) => e.clientOrderId === big.clientOrderId)).toBe(false);

    const rita = await r.P.login('rita');
    const dana = await r.P.login('dana');
    expect((await r.api('PUT', '/api/risk/kill-switch', dana, { engaged: true, scope: 'global', reason: 'x' })).status).toBe(403);
    const engaged = await r.api('PUT', '/api/risk/kill-switch', rita, { engaged: true, scope: 'global', reason: 'runaway algo' });
    expect(engaged.status).toBe(200);
    // Persisted before the answer, working orders canceled, new ones denied.
    const redis = new Redis(r.P.env['REDIS_URL']!);
    closers.push(async () => redis.disconnect());
    expect(await redis.hget(`${r.P.env['HFT__RISK__REDIS_PREFIX']}ks:global`, 'engaged')).toBe('1');
    await eventOf(r, ok.clientOrderId, 'OrderCanceled');
    const after = r.submit({ side: 'sell', price: 101, quantity: 1 });
    expect(await until(() => r.denials.find((d) => d.type === 'OrderDenied' && d.clientOrderId === after.clientOrderId), 'denied')).toMatchObject({ code: 'kill_switch' });
    expect((await r.api('PUT', '/api/risk/kill-switch', rita, { engaged: false, scope: 'global', reason: 'resolved' })).status).toBe(200);
    const audit = (await (await r.api('GET', '/api/risk/audit', dana)).json()) as Record<string, unknown>[];
    expect(audit.filter((a) => a['kind'] === 'kill_switch').map((a) => [a['engaged'], a['actor']])).toEqual([
      [false, 'rita'],
      [true, 'rita'],
    ]);
    // The OMS audits it too, with what the switch canceled.
    await until(async () => (await r.P.db.query('SELECT count(*)::int AS n FROM kill_switch_audit')).rows[0].n === 2 || undefined, 'ledger audit');
    const ledger = await r.P.db.query('SELECT engaged, actor, canceled_orders FROM kill_switch_audit ORDER BY id');
    expect(ledger.rows).toEqual([
      { engaged: true, actor: 'rita', canceled_orders: 1 },
      { engaged: false, actor: 'rita', canceled_orders: 0 },
    ]);
    // The rig starts four daemons inside the test: under a loaded CI machine that alone can pass 30 s.
  }, 90_000);

  it('denies an option order past the strategy delta limit with the greeks from the chain snapshot, and approves a smaller one', async () => {
    const { r } = await rig();
    const call = 'AAPL260306C187.5';
    const snap = aaplChainSnapshot();
    const q = snap.expiries[0]!.strikes.find((k) => k.strike === 187.5)!.call!;
    // The config's strategy limit is 20,000 shares of delta: 400 calls x 100 x ~0.53 pass it.
    const big = await until(() => {
      // Published again on every try: a SUB that joins after a PUB message never sees it.
      r.book(q.bid!, q.ask!, call);
      r.chain(snap);
      const o = r.submit({ symbol: call, price: q.ask!, quantity: 400 });
      return new Promise<Message | undefined>((res) => setTimeout(() => res(r.denials.find((d) => d.type === 'OrderDenied' && d.clientOrderId === o.clientOrderId && d.code !== 'greeks_unavailable' && d.code !== 'reference_price')), 300));
    }, 'a denial with the greeks known');
    expect(big).toMatchObject({ code: 'max_delta', orderId: null, values: { limit: 20_000, scope: 'strategy', underlying: 'AAPL' } });
    expect((big as unknown as { values: { projected: number } }).values.projected).toBeCloseTo(400 * 100 * q.greeks!.delta, 4);
    const small = r.submit({ symbol: call, price: q.ask!, quantity: 10 });
    expect(await eventOf(r, small.clientOrderId, 'OrderSubmitted')).toMatchObject({ symbol: call, quantity: 10 });
  }, 90_000);

  it('killed with approvals not yet in Redis: after the restart its working quantity is the OMS\'s, from the order-event stream', async () => {
    const { r, redis } = await rig({ HFT__RISK__PERSIST_MAX_LAG_MS: '60000' });
    const first = Array.from({ length: 5 }, () => r.submit({ price: 98, quantity: 10 }));
    for (const o of first) await eventOf(r, o.clientOrderId, 'OrderAccepted');
    const prefix = r.P.env['HFT__RISK__REDIS_PREFIX']!;
    const admin = new Redis(redis.url);
    closers.push(async () => admin.disconnect());
    await until(async () => (await admin.hget(`${prefix}working:mm:AAPL`, 'buy')) === '50' || undefined, 'the first five persisted');
    // Redis takes no writes: risk keeps deciding in memory (the lag bound is generous here).
    await admin.call('CLIENT', 'PAUSE', '4000', 'WRITE');
    const more = Array.from({ length: 3 }, () => r.submit({ price: 97, quantity: 7 }));
    for (const o of more) await eventOf(r, o.clientOrderId, 'OrderAccepted');
    const risk = r.P.sup.get('risk')!;
    risk.child.kill('SIGKILL');
    await risk.exited;
    await admin.call('CLIENT', 'UNPAUSE');
    expect(await admin.hget(`${prefix}working:mm:AAPL`, 'buy')).toBe('50');
    await r.P.sup.restart('risk');
    const dana = await r.P.login('dana');
    let last: unknown = null;
    await until(async () => {
      const res = await r.api('GET', '/api/risk/status', dana);
      const s = (await res.json()) as Status;
      last = { status: res.status, positions: s.positions, health: await (await r.api('GET', '/health')).text() };
      return s.positions?.find((p) => p.strategy === 'mm')?.workingBuy === 71 || undefined;
      // A bound on a hang, not a timing: a loaded CI machine restarts and catches up slowly.
    }, 'working quantity rebuilt from the stream', 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; last seen: ${JSON.stringify(last)}`);
    });
    await until(async () => (await admin.hget(`${prefix}working:mm:AAPL`, 'buy')) === '71' || undefined, 'and persisted');
  }, 150_000);

  it('Redis stopped: every order is denied, health says why, and risk recovers by itself', async () => {
    const { r, redis } = await rig();
    await redis.stop('SIGKILL');
    await until(async () => (await r.api('GET', '/health')).status === 503 || undefined, '503 without Redis', 15_000);
    const o = r.submit({ price: 99, quantity: 1 });
    expect(await until(() => r.denials.find((d) => d.type === 'OrderDenied' && d.clientOrderId === o.clientOrderId), 'denied')).toMatchObject({ code: 'risk_state_unavailable', reason: expect.stringMatching(/Redis\) unreachable/) });
    await redis.restart();
    await until(async () => (await r.api('GET', '/health')).status === 200 || undefined, 'healthy again', 30_000);
    const again = r.submit({ price: 99, quantity: 1 });
    await eventOf(r, again.clientOrderId, 'OrderSubmitted');
  }, 90_000);
});
