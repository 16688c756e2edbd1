// The OMS daemon as a real process: the test plays risk (approvals and cancels), the venue (accepting
// and filling, answering status queries) and a consumer of the order-event stream that reads back by
// sequence what it missed. The OMS is killed with SIGKILL mid-stream and restarted.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { envelope, type OrderEvent, type VenueSubmitOrder } from '@hft/messages';
import { OmsReader, OrderEventFeed } from '@hft/order-stream';
import { platformEnv, privateDatabase, startDaemon, testSigner, until, type DaemonProcess } from '@hft/testing';
import { CommandClient, CommandServer } from '@hft/transport';

const log = createLogger({ daemon: 'oms-daemon-test', level: 'silent' });
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

describe('oms daemon (real process)', () => {
  it('after kill -9 mid-stream and a restart, every order and fill is ledgered once and every consumer sees each event once, in sequence', async () => {
    const db = await privateDatabase();
    closers.push(() => db.drop());
    const signer = testSigner();
    const p = await platformEnv({ DATABASE_URL: db.url, HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, HFT__OMS__RECONCILE_INTERVAL_MS: '500' });

    // The venue: each new orderId is accepted and filled in full; resends of a known orderId change nothing.
    const venueOrders = new Map<number, VenueSubmitOrder>();
    const venue = new CommandServer('venue', { endpoint: p.endpoint.venue, log, handover: true });
    await venue.start((peer, m) => {
      if (m.type === 'VenueSubmitOrder') {
        if (venueOrders.has(m.orderId)) return;
        venueOrders.set(m.orderId, m);
        const base = { strategyId: m.strategyId, clientOrderId: m.clientOrderId, symbol: m.symbol, orderId: m.orderId };
        venue.reply(peer, { type: 'OrderAccepted', ...envelope(m), ...base, side: m.side, price: m.price, quantity: m.quantity, tsTick: null });
        venue.reply(peer, { type: 'OrderFilled', ...envelope(m), ...base, execId: `F-${m.orderId}`, side: m.side, lastPx: m.price!, lastQty: m.quantity, cumQty: m.quantity, leavesQty: 0, avgPx: m.price!, liquidity: 'taker', fee: 0.01, tsTick: null });
      } else if (m.type === 'QueryOrderStatus') {
        const o = venueOrders.get(m.orderId);
        const base = { ...envelope(m), strategyId: m.strategyId, clientOrderId: m.clientOrderId, symbol: m.symbol, orderId: m.orderId, rejectCode: null, reason: null };
        venue.reply(
          peer,
          o
            ? { type: 'OrderStatusReported', ...base, status: 'Filled', cumQty: o.quantity, leavesQty: 0, avgPx: o.price!, fills: [{ execId: `F-${o.orderId}`, lastPx: o.price!, lastQty: o.quantity, fee: 0.01, liquidity: 'taker', tsEvent: 1n }] }
            : { type: 'OrderStatusReported', ...base, status: null, cumQty: 0, leavesQty: 0, avgPx: 0, fills: [] },
        );
      }
    });
    closers.push(() => venue.close());

    const start = (): DaemonProcess => {
      const d = startDaemon('oms', [], p.env);
      closers.push(() => d.stop());
      return d;
    };
    let oms = start();
    await oms.ready(p.http.oms);

    // A consumer of both strategies' streams, reading back what it misses while the OMS is down.
    const seen = new Map<string, number[]>();
    const token = signer.token('svc-monitoring', ['system']);
    const feed = new OrderEventFeed({
      endpoint: p.endpoint.order_events,
      strategies: 'all',
      source: new OmsReader(`http://127.0.0.1:${p.http.oms}`, async () => token),
      log,
      onEvent: (e: OrderEvent) => seen.set(e.strategyId, [...(seen.get(e.strategyId) ?? []), e.seq!]),
    });
    await feed.start(new Map());
    closers.push(() => feed.close());

    const risk = new CommandClient('approved', { endpoint: p.endpoint.approved, log, identity: 'risk-test' }).start();
    closers.push(() => risk.close());
    const N = 1500;
    const approval = (i: number) => ({ type: 'OrderApproved' as const, ...envelope(), strategyId: i % 2 ? 'mm' : 'mr', clientOrderId: `ord-${i}`, symbol: 'AAPL', side: i % 3 ? ('buy' as const) : ('sell' as const), orderType: 'limit' as const, timeInForce: 'gtc' as const, postOnly: false, price: 100 + (i % 50) / 100, quantity: 1 + (i % 7), tsTick: null });
    let sent = 0;
    const pump = setInterval(() => {
      for (let k = 0; k < 25 && sent < N; k++) risk.send(approval(sent++));
    }, 5);
    closers.push(async () => clearInterval(pump));
    await until(() => venueOrders.size >= 500 || undefined, 'orders at the venue before the crash', 60_000);
    expect(await oms.stop('SIGKILL')).not.toBe(0);
    oms = start();
    await oms.ready(p.http.oms);
    await until(() => sent >= N || undefined, 'all approvals sent');

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    closers.push(() => client.end());
    const q = async (sql: string): Promise<number> => (await client.query(sql)).rows[0].n as number;
    // Approvals that reached the dead process but not its journal are lost with it (risk voids what
    // it never sees submitted); everything journaled is ledgered, filled and published.
    let last = -1;
    await until(async () => {
      const [open, all] = [await q("SELECT count(*)::int AS n FROM orders WHERE status <> 'Filled'"), await q('SELECT count(*)::int AS n FROM orders')];
      const quiet = open === 0 && all === last;
      last = all;
      if (!quiet) await new Promise((r) => setTimeout(r, 1000));
      return quiet || undefined;
    }, 'every ledgered order Filled, nothing moving', 90_000);
    const orders = await q('SELECT count(*)::int AS n FROM orders');
    expect(await q('SELECT count(DISTINCT (strategy_id, client_order_id))::int AS n FROM orders')).toBe(orders);
    expect(await q('SELECT count(*)::int AS n FROM fills')).toBe(orders);
    expect(await q('SELECT count(*)::int AS n FROM orders WHERE cum_qty <> quantity OR leaves_qty <> 0')).toBe(0);
    // The venue got exactly the ledger's orders, each once.
    expect(venueOrders.size).toBe(orders);
    // Each strategy's stream: 1..head with no hole, and the consumer saw every number once, in order.
    for (const s of ['mm', 'mr']) {
      const head = await q(`SELECT max(stream_seq)::int AS n FROM order_events WHERE strategy_id = '${s}'`);
      expect(await q(`SELECT count(DISTINCT stream_seq)::int AS n FROM order_events WHERE strategy_id = '${s}'`)).toBe(head);
      await until(() => (seen.get(s)?.length ?? 0) >= head || undefined, `the consumer caught up on ${s}`, 30_000);
      expect(seen.get(s)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    }
    const dev = signer.token('dana', ['dev']);
    const api = (path: string, t?: string) => fetch(`http://127.0.0.1:${p.http.oms}${path}`, t ? { headers: { authorization: `Bearer ${t}` } } : {});
    expect((await api('/api/order-events?strategy=mm')).status).toBe(401);
    expect((await api('/api/order-events?strategy=mm&after=-1', dev)).status).toBe(400);
    const state = (await (await api('/api/order-state?strategy=mm', dev)).json()) as { strategies: { seq: number; openOrders: unknown[] }[] };
    expect(state.strategies[0]).toMatchObject({ seq: seen.get('mm')!.length, openOrders: [] });
    const trades = (await (await api('/api/trades?strategy=mr&limit=1', dev)).json()) as Record<string, unknown>[];
    expect(trades[0]).toMatchObject({ strategy_id: 'mr', fee: 0.01, liquidity: 'taker' });
  }, 150_000);
});
