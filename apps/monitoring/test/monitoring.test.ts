// The monitoring daemon as a real process. The test plays market data, the OMS's order-event stream
// and the control stream (PUB), and runs a real risk daemon behind the kill-switch proxy.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeBookSnapshot, encodeMessage, envelope, nowNs, OptionValueCode, TickFrameEncoder, TickKind, Aggressor, topics } from '@hft/messages';
import { aaplChainSnapshot, platformEnv, startDaemon, testSigner, until } from '@hft/testing';
import { Publisher } from '@hft/transport';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** Collect SSE events from a stream for a while. */
function sse(url: string, ms: number): Promise<{ event: string; data: unknown }[]> {
  return new Promise((resolve, reject) => {
    const out: { event: string; data: unknown }[] = [];
    const req = request(url, (res) => {
      let buf = '';
      res.on('data', (b: Buffer) => {
        buf += b.toString();
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const chunk = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(chunk)?.[1];
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          if (ev && data) out.push({ event: ev, data: JSON.parse(data) });
        }
      });
    });
    req.on('error', reject);
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve(out);
    }, ms);
  });
}

async function rig(extra: Record<string, string> = {}) {
  const signer = testSigner();
  const p = await platformEnv({ HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, ...extra });
  const env = { ...p.env, HFT__MONITORING__RISK_URL: `http://127.0.0.1:${p.http.risk}`, HFT__MONITORING__OMS_URL: `http://127.0.0.1:${p.http.oms}` };
  const pubs = {
    ticks: new Publisher({ stream: 'ticks', endpoint: p.endpoint.ticks, linger: 0 }),
    books: new Publisher({ stream: 'books', endpoint: p.endpoint.books, linger: 0 }),
    reports: new Publisher({ stream: 'order_events', endpoint: p.endpoint.order_events, linger: 0 }),
    analytics: new Publisher({ stream: 'analytics', endpoint: p.endpoint.analytics, linger: 0 }),
  };
  for (const pub of Object.values(pubs)) {
    await pub.bind();
    closers.push(() => pub.close());
  }
  const mon = startDaemon('monitoring', [], env);
  closers.push(() => mon.stop());
  await mon.ready(p.http.monitoring);
  await pubs.ticks.waitForSubscribers(topics.trade('AAPL'), 1, 10_000);
  await pubs.reports.waitForSubscribers(topics.orderEvents('mm'), 1, 10_000);
  const base = `http://127.0.0.1:${p.http.monitoring}`;
  return { p, env, signer, pubs, base, get: (path: string, token?: string) => fetch(`${base}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {}) };
}

describe('monitoring daemon (real process)', () => {
  it('shows the market, positions, PnL and tick-to-trade from the streams, and filters SSE by symbol', async () => {
    const r = await rig();
    const t = nowNs();
    const book = (symbol: string, bid: number, ask: number) =>
      r.pubs.books.publish(topics.bookSampled(symbol), encodeBookSnapshot({ symbol, seq: 1, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [bid, 100], bidLevels: 1, asks: [ask, 100], askLevels: 1 }));
    book('AAPL', 10000, 10002);
    const ticks = sse(`${r.base}/api/stream/ticks?symbols=AAPL`, 1500);
    await new Promise((res) => setTimeout(res, 300));
    for (const [symbol, px] of [['AAPL', 10001], ['MSFT', 41000]] as const) {
      const enc = new TickFrameEncoder(symbol, -2, 0, 4);
      enc.add(1, Number(t / 1_000_000_000n), Number(t % 1_000_000_000n), TickKind.Trade, Aggressor.Buyer, px, 5);
      r.pubs.ticks.publish(topics.trade(symbol), enc.finish(t));
    }
    const got = await ticks;
    expect(got.map((e) => (e.data as { symbol: string }).symbol)).toEqual(['AAPL']);
    expect(got[0]!.data).toMatchObject({ kind: 'trade', side: 'buy', price: 100.01, qty: 5 });

    const base = { strategyId: 'mm', symbol: 'AAPL', orderId: 1, clientOrderId: 'c1' };
    r.pubs.reports.publish(topics.orderEvents('mm'), encodeMessage({ type: 'OrderAccepted', ...envelope(), tsEvent: t + 250_000n, seq: 1, ...base, side: 'buy', price: 100.02, quantity: 10, tsTick: t }));
    r.pubs.reports.publish(topics.orderEvents('mm'), encodeMessage({ type: 'OrderFilled', ...envelope(), seq: 2, ...base, execId: 'X1', side: 'buy', lastPx: 100.02, lastQty: 10, cumQty: 10, leavesQty: 0, avgPx: 100.02, liquidity: 'taker', fee: 0.05, tsTick: t }));
    const positions = await until(async () => {
      const ps = (await (await r.get('/api/positions')).json()) as { strategy: string; qty: number; mark: number; unrealized: number; pnl: number }[];
      return ps.length ? ps : undefined;
    }, 'positions');
    expect(positions[0]).toMatchObject({ strategy: 'mm', symbol: 'AAPL', qty: 10, avgPx: 100.02, fees: 0.05 });
    expect(positions[0]!.mark).toBeCloseTo(100.01, 9);
    expect(positions[0]!.pnl).toBeCloseTo(-0.1 - 0.05, 9);
    const data = (await (await r.get('/api/metrics/data')).json()) as { tickToTrade: { count: number; p50: number }; counts: { fills: number } };
    expect(data.tickToTrade.count).toBe(1);
    expect(data.tickToTrade.p50).toBeCloseTo(0.00025, 9);
    expect(data.counts.fills).toBe(1);
    // Events come in sequence: one that skips ahead waits (the rest is read back from the OMS).
    r.pubs.reports.publish(topics.orderEvents('mm'), encodeMessage({ type: 'OrderExpired', ...envelope(), seq: 9, ...base, expiredQty: 1, cumQty: 0 }));
    await new Promise((res) => setTimeout(res, 200));
    expect(((await (await r.get('/api/metrics/data')).json()) as { counts: { expired: number } }).counts.expired).toBe(0);
    const market = (await (await r.get('/api/market?symbols=AAPL')).json()) as { book: { bids: number[][] }; trades: unknown[] }[];
    expect(market[0]!.book.bids).toEqual([[100, 100]]);
    expect(market[0]!.trades).toHaveLength(1);
    const html = await (await r.get('/dashboard')).text();
    expect(html).toContain('id="kill-switch-button"');
  });

  it('serves quotes, greeks and option chains under /api/v1, streams greeks filtered by instrument, and says why it refuses', async () => {
    const r = await rig();
    const json = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
      const res = await r.get(path);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await json('/api/v1/options/chain/AAPL')).toEqual({ status: 404, body: { error: 'HFT_NOT_FOUND', message: expect.stringMatching(/no chain snapshot of AAPL has arrived yet/) } });
    await r.pubs.analytics.waitForSubscribers(topics.chain('AAPL'), 1, 10_000);
    const greeks = sse(`${r.base}/api/stream/greeks?instruments=AAPL260306C187.5,AAPL260306P187.5`, 1500);
    await new Promise((res) => setTimeout(res, 300));
    r.pubs.analytics.publish(topics.chain('AAPL'), encodeMessage(aaplChainSnapshot()));
    const t = nowNs();
    r.pubs.books.publish(topics.bookSampled('AAPL'), encodeBookSnapshot({ symbol: 'AAPL', seq: 3, tsEvent: t, tsPublish: t, priceExponent: -2, qtyExponent: 0, bids: [18749, 100], bidLevels: 1, asks: [18751, 100], askLevels: 1 }));
    const streamed = await greeks;
    expect(streamed.map((e) => (e.data as { symbol: string }).symbol).sort()).toEqual(['AAPL260306C187.5', 'AAPL260306P187.5']);
    expect(streamed[0]).toMatchObject({ event: 'greeks', data: { underlying: 'AAPL', expiry: '2026-03-06', strike: 187.5, code: OptionValueCode.Ok, spot: 187.5 } });

    const chain = await json('/api/v1/options/chain/AAPL');
    expect(chain.status).toBe(200);
    expect((chain.body['expiries'] as unknown[]).length).toBe(2);
    const one = await json('/api/v1/options/chain/AAPL?expiry=2026-03-20');
    expect((one.body['expiries'] as { expiry: string; strikes: unknown[] }[]).map((e) => [e.expiry, e.strikes.length])).toEqual([['2026-03-20', 40]]);
    const call = await json('/api/v1/market/greeks/AAPL260306C187.5');
    expect(call.status).toBe(200);
    expect(call.body).toMatchObject({ symbol: 'AAPL260306C187.5', right: 'call', strike: 187.5, openInterest: 1000, code: 'ok' });
    expect(call.body['iv'] as number).toBeCloseTo(0.25, 2);
    expect((call.body['greeks'] as { delta: number }).delta).toBeGreaterThan(0.4);
    const quote = await until(async () => {
      const q = await json('/api/v1/market/quote/AAPL');
      return q.body['bid'] !== null ? q : undefined;
    }, 'the AAPL quote');
    expect(quote.body).toMatchObject({ symbol: 'AAPL', bid: 187.49, ask: 187.51, mid: 187.5, bidSize: 100 });

    // Refusals: what, and why; each counted by route and status.
    expect(await json('/api/v1/market/greeks/AAPL')).toEqual({ status: 400, body: { error: 'HFT_BAD_REQUEST', message: expect.stringMatching(/^AAPL is not an option contract/) } });
    expect(await json('/api/v1/market/greeks/ZZZ')).toEqual({ status: 404, body: { error: 'HFT_NOT_FOUND', message: expect.stringMatching(/^unknown instrument "ZZZ"/) } });
    expect(await json('/api/v1/market/quote/ZZZ')).toMatchObject({ status: 404 });
    expect(await json('/api/v1/options/chain/MSFT')).toEqual({ status: 404, body: { error: 'HFT_NOT_FOUND', message: 'MSFT has no listed options ([[option_chains]] in config/platform.toml)' } });
    expect(await json('/api/v1/options/chain/AAPL?expiry=2026-03-13')).toEqual({ status: 404, body: { error: 'HFT_NOT_FOUND', message: 'AAPL has no 2026-03-13 expiry (listed: 2026-03-06, 2026-03-20)' } });
    expect(await json('/api/v1/options/chain/AAPL?expiry=next-friday')).toMatchObject({ status: 400, body: { message: 'expiry "next-friday" is not a date YYYY-MM-DD' } });
    const metrics = await (await r.get('/metrics')).text();
    expect(metrics).toMatch(/hft_http_refusals_total\{[^}]*route="\/api\/v1\/options\/chain\/:underlying"[^}]*status="404"[^}]*\} [3-9]/);
  });

  it('runs backtests for authorised roles only, and only on files under data/', async () => {
    const r = await rig();
    const post = (body: unknown, token?: string) =>
      fetch(`${r.base}/api/backtest`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    expect((await post({})).status).toBe(401);
    const dev = r.signer.token('dana', ['dev']);
    const bad = await post({ files: ['/etc/passwd'] }, dev);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe('files: /etc/passwd is outside data/');
    const res = await post({ files: ['data/market_data.csv'], to: '2026-03-02T14:31:00Z', strategies: ['mm_aapl'] }, dev);
    expect(res.status).toBe(200);
    const out = (await res.json()) as { ticks: number; dataSeconds: number; strategies: { id: string }[]; orders: number };
    expect(out.strategies.map((s) => s.id)).toEqual(['mm_aapl']);
    expect(out.dataSeconds).toBeLessThanOrEqual(60);
    expect(out.orders).toBeGreaterThan(0);
    // GET with query parameters: the documented alias, same answer.
    const q = new URLSearchParams({ files: 'data/market_data.csv', to: '2026-03-02T14:31:00Z', strategies: 'mm_aapl' });
    const viaGet = await fetch(`${r.base}/api/backtest?${q}`, { headers: { authorization: `Bearer ${dev}` } });
    expect(viaGet.status).toBe(200);
    expect(((await viaGet.json()) as { orders: number }).orders).toBe(out.orders);
    const unknown = await fetch(`${r.base}/api/backtest?speed=10`, { headers: { authorization: `Bearer ${dev}` } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/Unrecognized key: "speed"/);
  });

  it('proxies the kill-switch to risk with the caller token, refusing roles without the permission', async () => {
    const r = await rig();
    const risk = startDaemon('risk', [], r.env);
    closers.push(() => risk.stop());
    await risk.ready(r.p.http.risk);
    await until(async () => (await fetch(`http://127.0.0.1:${r.p.http.risk}/health`)).status === 200 || undefined, 'risk ready');
    const put = (token: string) =>
      fetch(`${r.base}/api/risk/kill-switch`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ engaged: true, scope: 'symbol', target: 'AAPL', reason: 'from the dashboard' }) });
    expect((await put(r.signer.token('dana', ['dev']))).status).toBe(403);
    const ok = await put(r.signer.token('rita', ['risk']));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { state: { actor: string } }).state.actor).toBe('rita');
    const status = (await (await r.get('/api/risk/status', r.signer.token('dana', ['dev']))).json()) as { killSwitches: { engaged: boolean; target: string }[] };
    expect(status.killSwitches).toEqual([expect.objectContaining({ engaged: true, target: 'AAPL' })]);
    // POST is a documented alias of PUT, through monitoring and on risk itself.
    const rita = r.signer.token('rita', ['risk']);
    const send = (url: string, method: string, body: string | Buffer) => fetch(url, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${rita}` }, body });
    const release = JSON.stringify({ engaged: false, scope: 'symbol', target: 'AAPL', reason: 'released by POST' });
    expect((await send(`${r.base}/api/risk/kill-switch`, 'POST', release)).status).toBe(200);
    expect((await send(`http://127.0.0.1:${r.p.http.risk}/api/risk/kill-switch`, 'POST', release)).status).toBe(200);
    // Bad bodies get 400 with the reason from both daemons: deep nesting (monitoring once answered 502), bad UTF-8.
    const deep = `{"engaged":true,"scope":"global","reason":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const notUtf8 = Buffer.concat([Buffer.from('{"engaged":true,"scope":"global","reason":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    for (const base of [r.base, `http://127.0.0.1:${r.p.http.risk}`]) {
      for (const [body, why] of [[deep, /JSON nested deeper than 32 levels \(at byte 73\)/], [notUtf8, /not valid UTF-8 \(at byte 46\)/]] as const) {
        const res = await send(`${base}/api/risk/kill-switch`, 'PUT', body);
        expect(res.status).toBe(400);
        expect((await res.json()) as unknown).toEqual({ error: 'HFT_HTTP_BAD_BODY', message: expect.stringMatching(why) });
      }
    }
    const after = (await (await r.get('/api/risk/status', rita)).json()) as { killSwitches: { engaged: boolean; scope: string }[] };
    expect(after.killSwitches.filter((k) => k.engaged)).toEqual([]);
  });

  it('requires a reading role everywhere when reads are not public, taking ?access_token= on streams', async () => {
    const r = await rig({ HFT__MONITORING__PUBLIC_READS: 'false' });
    expect((await r.get('/api/positions')).status).toBe(401);
    const dev = r.signer.token('dana', ['dev']);
    expect((await r.get('/api/positions', dev)).status).toBe(200);
    expect((await fetch(`${r.base}/api/stream/orders`)).status).toBe(401);
    const events = sse(`${r.base}/api/stream/orders?access_token=${dev}`, 800);
    await new Promise((res) => setTimeout(res, 300));
    r.pubs.reports.publish(topics.orderEvents('mm'), encodeMessage({ type: 'OrderAccepted', ...envelope(), seq: 1, strategyId: 'mm', symbol: 'AAPL', orderId: 9, clientOrderId: 'c9', side: 'sell', price: 101, quantity: 1, tsTick: null }));
    expect((await events).map((e) => e.event)).toEqual(['order']);
    expect((await r.get('/metrics')).status).toBe(200);
    expect((await r.get('/health')).status).toBe(200);
  });
});
