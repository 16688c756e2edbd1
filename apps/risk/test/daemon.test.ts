// The risk daemon as a real process against the real Redis. The test plays the strategy (DEALER on
// the orders endpoint), the OMS (ROUTER on the approved endpoint), market data and execution (PUB),
// and the risk officer (HTTP with tokens).
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage, encodeBookSnapshot, encodeMessage, envelope, nowNs, topics, type Message, type MessageInput } from '@hft/messages';
import { freePorts, platformEnv, startDaemon, startPrivateRedis, testSigner, type DaemonProcess, until } from '@hft/testing';
import { DealerClient, Publisher, RouterServer, RpcClient, Subscriber } from '@hft/transport';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});


let n = 0;
function submit(qty: number, price: number, side: 'buy' | 'sell' = 'buy', strategyId = 'mm'): MessageInput<'SubmitOrder'> {
  return { type: 'SubmitOrder', ...envelope(), strategyId, clientOrderId: `t-${Date.now()}-${++n}`, symbol: 'AAPL', side, orderType: 'limit', timeInForce: 'gtc', price, quantity: qty, tsTick: null };
}

/** The risk daemon with every peer played by the test. */
async function rig(extraEnv: Record<string, string> = {}) {
  const signer = testSigner();
  // A generous Redis timeout: a loaded test machine must not turn an approval into a timeout denial.
  const p = await platformEnv({ HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, HFT__RISK__CHECK_TIMEOUT_MS: '2000', ...extraEnv });
  const toOms: Message[] = [];
  const toStrategy: Message[] = [];
  const control: Message[] = [];
  closers.push(async () => {
    // Leave no test state behind in the shared Redis.
    const { Redis } = await import('ioredis');
    const redis = new Redis(extraEnv['REDIS_URL'] ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${p.redisPrefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch {
      // A private Redis that is already gone has nothing to clean.
    } finally {
      redis.disconnect();
    }
  });
  const oms = new RouterServer({ stream: 'approved', endpoint: p.endpoint.approved, linger: 0 });
  await oms.start((_peer, body) => {
    const m = decodeMessage(body);
    if (m.ok) toOms.push(m.value);
  });
  const books = new Publisher({ stream: 'books', endpoint: p.endpoint.books, linger: 0 });
  const reports = new Publisher({ stream: 'exec_reports', endpoint: p.endpoint.exec_reports, linger: 0 });
  await books.bind();
  await reports.bind();
  closers.push(() => oms.close(), () => books.close(), () => reports.close());
  const start = (): DaemonProcess => {
    const d = startDaemon('risk', [], p.env);
    closers.push(() => d.stop());
    return d;
  };
  const d = start();
  await d.ready(p.http.risk);
  const controlSub = new Subscriber({ stream: 'control', endpoint: p.endpoint.control, topics: ['control.'] });
  controlSub.start((_t, [body]) => {
    const m = decodeMessage(body!);
    if (m.ok) control.push(m.value);
  });
  const strategy = new DealerClient({ stream: 'orders', endpoint: p.endpoint.orders, identity: 'strat-1', linger: 0 });
  strategy.start((body) => {
    const m = decodeMessage(body);
    if (m.ok) toStrategy.push(m.value);
  });
  closers.push(() => strategy.close(), () => controlSub.close());
  expect(await books.waitForSubscribers(topics.book('AAPL'), 1, 10_000)).toBe(true);
  expect(await reports.waitForSubscribers(topics.execReports('mm'), 1, 10_000)).toBe(true);
  const t = nowNs();
  books.publish(topics.book('AAPL'), encodeBookSnapshot({ symbol: 'AAPL', seq: 1, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [9995, 100], bidLevels: 1, asks: [10005, 100], askLevels: 1 }));
  const api = (method: string, path: string, token?: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${p.http.risk}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  /** Send an order and wait for risk's answer: approved (seen by the OMS) or denied (back to us). */
  const decide = async (o: MessageInput<'SubmitOrder'>): Promise<Message> => {
    strategy.send(encodeMessage(o));
    return until(() => [...toOms, ...toStrategy].find((m) => 'clientOrderId' in m && m.clientOrderId === o.clientOrderId && m.type !== 'CancelOrder'), `decision on ${o.clientOrderId}`);
  };
  return { p, signer, d, start, toOms, toStrategy, control, reports, strategy, api, decide };
}

describe('risk daemon (real process, real Redis)', () => {
  it('approves to the OMS, denies back to the strategy with the failing check, and takes positions from fills', async () => {
    const r = await rig();
    const ok = await r.decide(submit(100, 100));
    expect(ok).toMatchObject({ type: 'OrderApproved', strategyId: 'mm', quantity: 100, price: 100 });
    const big = await r.decide(submit(20_000, 100));
    expect(big).toMatchObject({ type: 'OrderDenied', check: 'max_order_qty', values: { limit: 10_000, requested: 20_000 } });
    const fat = await r.decide(submit(1, 120));
    expect(fat).toMatchObject({ type: 'OrderDenied', check: 'price_band' });
    // The venue fills the approved order: positions follow fills.
    const o = ok as MessageInput<'OrderApproved'>;
    r.reports.publish(
      topics.execReports('mm'),
      encodeMessage({ type: 'OrderFilled', ...envelope(), seq: 1, strategyId: 'mm', clientOrderId: o.clientOrderId, symbol: 'AAPL', orderId: 1, execId: `X-${o.clientOrderId}`, side: 'buy', lastPx: 100, lastQty: 100, cumQty: 100, leavesQty: 0, avgPx: 100, liquidity: 'maker', fee: 0, tsTick: null }),
    );
    const token = r.signer.token('dana', ['dev']);
    const status = await until(async () => {
      const s = (await (await r.api('GET', '/api/risk/status', token)).json()) as { positions: { strategy: string; qty: number; workingBuy: number }[] };
      return s.positions.find((p) => p.strategy === 'mm' && p.qty === 100) ? s : undefined;
    }, 'position from the fill');
    expect(status.positions[0]).toMatchObject({ symbol: 'AAPL', qty: 100, avgPx: 100, workingBuy: 0, mark: 100 });
    const metrics = await (await fetch(`http://127.0.0.1:${r.p.http.risk}/metrics`)).text();
    expect(metrics).toContain('hft_risk_denials_total{check="max_order_qty",daemon="risk"} 1');
    expect(metrics).toMatch(/hft_risk_check_seconds_count\{daemon="risk"\} [3-9]/);
  });

  it('kill-switch over HTTP: 401 without a token, 403 for dev, engaged by risk -> next order denied, OMS told to cancel, audited; released -> orders flow', async () => {
    const r = await rig();
    const body = { engaged: true, scope: 'global', reason: 'runaway algo' };
    expect((await r.api('PUT', '/api/risk/kill-switch', undefined, body)).status).toBe(401);
    expect((await r.api('PUT', '/api/risk/kill-switch', r.signer.token('dana', ['dev']), body)).status).toBe(403);
    const bad = await r.api('PUT', '/api/risk/kill-switch', r.signer.token('rita', ['risk']), { engaged: true, scope: 'strategy', reason: 'x' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/target: .*need one/);
    const res = await r.api('PUT', '/api/risk/kill-switch', r.signer.token('rita', ['risk']), body);
    expect(res.status).toBe(200);
    // The call has returned: the very next order is denied.
    expect(await r.decide(submit(1, 100))).toMatchObject({ type: 'OrderDenied', check: 'kill_switch', values: { scope: 'global', actor: 'rita' } });
    await until(() => r.toOms.find((m) => m.type === 'CancelAllOrders'), 'CancelAllOrders to the OMS');
    expect(r.toOms.find((m) => m.type === 'CancelAllOrders')).toMatchObject({ scope: 'global', strategyId: null, symbol: null, reason: 'kill-switch: runaway algo' });
    await until(() => r.control.find((m) => m.type === 'KillSwitchChanged'), 'control event');
    expect(r.control[0]).toMatchObject({ type: 'KillSwitchChanged', scope: 'global', engaged: true, actor: 'rita', reason: 'runaway algo' });
    const status = (await (await r.api('GET', '/api/risk/status', r.signer.token('ops1', ['ops']))).json()) as { killSwitches: { engaged: boolean; actor: string }[] };
    expect(status.killSwitches).toEqual([expect.objectContaining({ scope: 'global', engaged: true, actor: 'rita' })]);
    const audit = (await (await r.api('GET', '/api/risk/audit', r.signer.token('ops1', ['ops']))).json()) as Record<string, string>[];
    expect(audit[0]).toMatchObject({ kind: 'kill_switch', engaged: true, actor: 'rita', reason: 'runaway algo' });
    expect(await (await fetch(`http://127.0.0.1:${r.p.http.risk}/metrics`)).text()).toContain('hft_risk_kill_switch_engaged{scope="global",target="",daemon="risk"} 1');
    expect((await r.api('PUT', '/api/risk/kill-switch', r.signer.token('olga', ['ops']), { engaged: false, scope: 'global', reason: 'fixed' })).status).toBe(200);
    expect((await r.decide(submit(1, 100))).type).toBe('OrderApproved');
  });

  it('changes limits at run time for risk/ops only, and answers synchronous checks on the REQ/REP endpoint', async () => {
    const r = await rig();
    const change = { scope: 'symbol', target: 'AAPL', limits: { max_order_qty: 10 } };
    expect((await r.api('PUT', '/api/risk/limits', r.signer.token('dana', ['dev']), change)).status).toBe(403);
    const res = await r.api('PUT', '/api/risk/limits', r.signer.token('rita', ['risk']), change);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { symbols: Record<string, unknown> }).symbols['AAPL']).toEqual({ max_order_qty: 10 });
    expect(await r.decide(submit(11, 100))).toMatchObject({ type: 'OrderDenied', check: 'max_order_qty', values: { limit: 10 } });
    await until(() => r.control.find((m) => m.type === 'LimitsChanged'), 'LimitsChanged');
    const bad = await r.api('PUT', '/api/risk/limits', r.signer.token('rita', ['risk']), { scope: 'default', limits: { max_order_qty: -1 } });
    expect(bad.status).toBe(400);
    const rpc = new RpcClient('risk_check', r.p.endpoint.risk_check);
    rpc.start();
    closers.push(() => rpc.close());
    const reply = await rpc.request({ type: 'CheckOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'probe-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', price: 100, quantity: 11, tsTick: null });
    expect(reply).toMatchObject({ type: 'OrderCheckResult', approved: false, check: 'max_order_qty' });
    const fine = await rpc.request({ type: 'CheckOrder', ...envelope(), strategyId: 'mm', clientOrderId: 'probe-1', symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', price: 100, quantity: 5, tsTick: null });
    expect(fine).toMatchObject({ approved: true, check: null });
  });

  it('loses nothing over a kill -9 and restart: kill-switch, positions and limits are in Redis', async () => {
    const r = await rig();
    expect((await r.api('PUT', '/api/risk/kill-switch', r.signer.token('rita', ['risk']), { engaged: true, scope: 'symbol', target: 'AAPL', reason: 'halt' })).status).toBe(200);
    expect(await r.d.stop('SIGKILL')).not.toBe(0);
    const again = r.start();
    await again.ready(r.p.http.risk);
    await until(async () => ((await (await fetch(`http://127.0.0.1:${r.p.http.risk}/health`)).json()) as { status: string }).status === 'ok' || undefined, 'healthy after restart');
    expect(await r.decide(submit(1, 100))).toMatchObject({ type: 'OrderDenied', check: 'kill_switch', values: { scope: 'symbol', target: 'AAPL' } });
  });

  it('fails closed while Redis is unreachable (denies with the reason, /health 503) and recovers by itself', async () => {
    const [port] = await freePorts(1);
    const redis = await startPrivateRedis(port!);
    closers.push(() => redis.stop());
    const r = await rig({ REDIS_URL: redis.url });
    expect((await r.decide(submit(1, 100))).type).toBe('OrderApproved');
    await redis.stop('SIGKILL');
    const denied = await r.decide(submit(1, 100));
    expect(denied).toMatchObject({ type: 'OrderDenied', check: 'risk_state_unavailable' });
    expect((denied as { reason: string }).reason).toMatch(/risk state \(Redis\) unavailable, failing closed/);
    const health = await until(async () => {
      const h = await fetch(`http://127.0.0.1:${r.p.http.risk}/health`);
      return h.status === 503 ? ((await h.json()) as { components: { redis: { detail: string } } }) : undefined;
    }, '/health 503');
    expect(health.components.redis.detail).toMatch(/Redis unreachable .*all orders are denied/);
    await redis.restart();
    await until(async () => ((await fetch(`http://127.0.0.1:${r.p.http.risk}/health`)).status === 200 ? true : undefined), 'recovery');
    expect((await r.decide(submit(1, 100))).type).toBe('OrderApproved');
  });
});
