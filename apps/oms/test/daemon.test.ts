// The OMS daemon's reads (HTTP, Redis cache) and its part in the kill-switch, as a real process.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, envelope, topics, type Message } from '@hft/messages';
import { platformEnv, privateDatabase, startDaemon, testSigner, until } from '@hft/testing';
import { DealerClient, Publisher, RouterServer } from '@hft/transport';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});


describe('oms daemon (real process)', () => {
  it('serves orders and trades with filters to authenticated readers, mirrors open orders in Redis, and cancels + audits on the kill-switch', async () => {
    const db = await privateDatabase();
    closers.push(() => db.drop());
    const signer = testSigner();
    const p = await platformEnv({ DATABASE_URL: db.url, HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, HFT__OMS__REDIS_PREFIX: `test:oms:${Date.now()}:` });
    const toVenue: Message[] = [];
    const reports = new Publisher({ stream: 'exec_reports', endpoint: p.endpoint.exec_reports, linger: 0 });
    const control = new Publisher({ stream: 'control', endpoint: p.endpoint.control, linger: 0 });
    await reports.bind();
    await control.bind();
    const venue = new RouterServer({ stream: 'venue', endpoint: p.endpoint.venue, linger: 0 });
    await venue.start((_peer, body) => {
      const m = decodeMessage(body);
      if (m.ok) toVenue.push(m.value);
    });
    closers.push(() => venue.close(), () => reports.close(), () => control.close());
    const oms = startDaemon('oms', [], p.env);
    closers.push(() => oms.stop());
    await oms.ready(p.http.oms);
    const acks = new Map<string, number>();
    const risk = new DealerClient({ stream: 'approved', endpoint: p.endpoint.approved, identity: 'risk-t', linger: 0 });
    risk.start((body) => {
      const m = decodeMessage(body, ['OrderSubmitted']);
      if (m.ok) acks.set(m.value.clientOrderId, m.value.orderId);
    });
    closers.push(() => risk.close());
    for (const [id, symbol] of [['a1', 'AAPL'], ['a2', 'AAPL'], ['m1', 'MSFT']] as const) {
      risk.send(encodeMessage({ type: 'OrderApproved', ...envelope(), strategyId: 'mm', clientOrderId: id, symbol, side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100, quantity: 10, tsTick: null }));
    }
    await until(() => acks.size === 3, 'acks');
    // a1 fills; a2 and m1 stay open.
    expect(await reports.waitForSubscribers(topics.execReports('mm'), 1, 10_000)).toBe(true);
    const base = { strategyId: 'mm', clientOrderId: 'a1', symbol: 'AAPL', orderId: acks.get('a1')! };
    reports.publish(topics.execReports('mm'), encodeMessage({ type: 'OrderAccepted', ...envelope(), seq: 1, ...base, side: 'buy', price: 100, quantity: 10, tsTick: null }));
    reports.publish(topics.execReports('mm'), encodeMessage({ type: 'OrderFilled', ...envelope(), seq: 2, ...base, execId: 'X1', side: 'buy', lastPx: 99.99, lastQty: 10, cumQty: 10, leavesQty: 0, avgPx: 99.99, liquidity: 'taker', fee: 0.02, tsTick: null }));

    const api = (path: string, token?: string) => fetch(`http://127.0.0.1:${p.http.oms}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const dev = signer.token('dana', ['dev']);
    expect((await api('/api/orders')).status).toBe(401);
    await until(async () => ((await (await api('/api/trades', dev)).json()) as unknown[]).length === 1, 'the fill in /api/trades');
    const trades = (await (await api('/api/trades?symbol=AAPL&strategy=mm', dev)).json()) as Record<string, unknown>[];
    expect(trades[0]).toMatchObject({ exec_id: 'X1', symbol: 'AAPL', side: 'buy', price: 99.99, quantity: 10, fee: 0.02, liquidity: 'taker' });
    const filled = (await (await api('/api/orders?status=Filled', dev)).json()) as Record<string, unknown>[];
    expect(filled.map((o) => o['client_order_id'])).toEqual(['a1']);
    const aapl = (await (await api('/api/orders?symbol=AAPL&limit=1', dev)).json()) as Record<string, unknown>[];
    expect(aapl).toHaveLength(1);
    expect((await api('/api/orders?status=Lost', dev)).status).toBe(400);
    expect(((await (await api(`/api/orders?from=${new Date(Date.now() + 60_000).toISOString()}`, dev)).json()) as unknown[]).length).toBe(0);

    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0');
    closers.push(async () => {
      await redis.del(`${p.env['HFT__OMS__REDIS_PREFIX']}open_orders`);
      redis.disconnect();
    });
    await until(async () => (await redis.hlen(`${p.env['HFT__OMS__REDIS_PREFIX']}open_orders`)) === 2, 'two open orders in Redis');

    // Kill-switch on AAPL: the control event is audited; the cancel-all cancels the open AAPL order.
    const ks = { type: 'KillSwitchChanged', ...envelope(), seq: 1, scope: 'symbol', target: 'AAPL', engaged: true, reason: 'drill', actor: 'rita' } as const;
    expect(await control.waitForSubscribers(topics.killSwitch, 1, 10_000)).toBe(true);
    control.publish(topics.killSwitch, encodeMessage(ks));
    risk.send(encodeMessage({ type: 'CancelAllOrders', ...envelope({ eventId: ks.eventId }), scope: 'symbol', strategyId: null, symbol: 'AAPL', reason: 'kill-switch: drill' }));
    await until(() => toVenue.some((m) => m.type === 'CancelOrder'), 'cancel to the venue');
    expect(toVenue.filter((m) => m.type === 'CancelOrder').map((m) => (m as { clientOrderId: string }).clientOrderId)).toEqual(['a2']);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    closers.push(() => client.end());
    await until(async () => (await client.query('SELECT canceled_orders, actor, engaged FROM kill_switch_audit')).rows[0]?.canceled_orders === 1, 'audit row');
    expect((await client.query('SELECT scope, target, engaged, actor, reason FROM kill_switch_audit')).rows[0]).toEqual({ scope: 'symbol', target: 'AAPL', engaged: true, actor: 'rita', reason: 'drill' });
    expect((await client.query("SELECT status FROM orders WHERE client_order_id = 'a2'")).rows[0].status).toBe('PendingCancel');
  });
});
