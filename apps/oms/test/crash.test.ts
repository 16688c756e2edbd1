// kill -9 the OMS mid-stream and restart it: the ledger ends with every order exactly once and every
// fill exactly once. The test plays risk (DEALER, resending what was not acknowledged) and the venue
// (ROUTER taking orders, PUB publishing execution reports, answering status queries).
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { decodeMessage, encodeMessage, envelope, topics, type MessageInput, type SubmitOrder } from '@hft/messages';
import { platformEnv, privateDatabase, startDaemon, type DaemonProcess, until } from '@hft/testing';
import { DealerClient, Publisher, RouterServer } from '@hft/transport';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});


describe('OMS crash recovery (real processes, real Postgres)', () => {
  it('after kill -9 mid-stream and a restart, the ledger holds every order and fill exactly once', async () => {
    const db = await privateDatabase();
    closers.push(() => db.drop());
    const p = await platformEnv({ DATABASE_URL: db.url, HFT__OMS__RECONCILE_INTERVAL_MS: '500' });

    // The venue: each new orderId is accepted and filled in full; resends of a known orderId change nothing.
    const venueOrders = new Map<number, SubmitOrder>();
    const venueSeen: number[] = [];
    let seq = 0;
    const reports = new Publisher({ stream: 'exec_reports', endpoint: p.endpoint.exec_reports, linger: 0 });
    await reports.bind();
    const venue = new RouterServer({ stream: 'venue', endpoint: p.endpoint.venue, linger: 0 });
    await venue.start((peer, body) => {
      const m = decodeMessage(body, ['SubmitOrder', 'QueryOrderStatus', 'CancelOrder']);
      if (!m.ok) return;
      const v = m.value;
      if (v.type === 'SubmitOrder') {
        venueSeen.push(v.orderId!);
        if (venueOrders.has(v.orderId!)) return;
        venueOrders.set(v.orderId!, v);
        const base = { strategyId: v.strategyId, clientOrderId: v.clientOrderId, symbol: v.symbol, orderId: v.orderId! };
        reports.publish(topics.execReports(v.strategyId), encodeMessage({ type: 'OrderAccepted', ...envelope(v), seq: ++seq, ...base, side: v.side, price: v.price, quantity: v.quantity, tsTick: null }));
        reports.publish(
          topics.execReports(v.strategyId),
          encodeMessage({ type: 'OrderFilled', ...envelope(v), seq: ++seq, ...base, execId: `F-${v.orderId}`, side: v.side, lastPx: v.price!, lastQty: v.quantity, cumQty: v.quantity, leavesQty: 0, avgPx: v.price!, liquidity: 'taker', fee: 0.01, tsTick: null }),
        );
      } else if (v.type === 'QueryOrderStatus') {
        const o = venueOrders.get(v.orderId);
        const base = { ...envelope(v), strategyId: v.strategyId, clientOrderId: v.clientOrderId, symbol: v.symbol, orderId: v.orderId };
        const reply: MessageInput<'OrderStatusReported'> = o
          ? { type: 'OrderStatusReported', ...base, status: 'Filled', cumQty: o.quantity, leavesQty: 0, avgPx: o.price!, fills: [{ execId: `F-${o.orderId}`, lastPx: o.price!, lastQty: o.quantity, fee: 0.01, liquidity: 'taker', tsEvent: 1n }] }
          : { type: 'OrderStatusReported', ...base, status: null, cumQty: 0, leavesQty: 0, avgPx: 0, fills: [] };
        venue.send(peer, encodeMessage(reply));
      }
    });
    closers.push(() => venue.close(), () => reports.close());

    const start = (): DaemonProcess => {
      const d = startDaemon('oms', [], p.env);
      closers.push(() => d.stop());
      return d;
    };
    let oms = start();
    await oms.ready(p.http.oms);

    // Risk: keeps every approval until acknowledged, resends the rest.
    const N = 1500;
    const acked = new Set<string>();
    const risk = new DealerClient({ stream: 'approved', endpoint: p.endpoint.approved, identity: 'risk-test', linger: 0 });
    risk.start((body) => {
      const m = decodeMessage(body, ['OrderSubmitted']);
      if (m.ok) acked.add(m.value.clientOrderId);
    });
    closers.push(() => risk.close());
    const approval = (i: number): Buffer =>
      encodeMessage({ type: 'OrderApproved', ...envelope(), strategyId: i % 2 ? 'mm' : 'mr', clientOrderId: `ord-${i}`, symbol: 'AAPL', side: i % 3 ? 'buy' : 'sell', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100 + (i % 50) / 100, quantity: 1 + (i % 7), tsTick: null });
    let sent = 0;
    const pump = setInterval(() => {
      for (let k = 0; k < 25 && sent < N; k++) risk.send(approval(sent++));
    }, 5);
    closers.push(async () => clearInterval(pump));

    await until(() => acked.size >= 500, `500 acknowledgements before the crash (have ${acked.size}, sent ${sent})`, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; acked ${acked.size}, sent ${sent}; oms stderr: ${oms.stderr().slice(-2000)} stdout: ${oms.stdout().slice(-2000)}`);
    });
    expect(await oms.stop('SIGKILL')).not.toBe(0);
    const ackedAtCrash = acked.size;
    oms = start();
    await oms.ready(p.http.oms);
    await until(() => sent >= N, 'all approvals sent');
    // Resend everything unacknowledged until the OMS has acknowledged all of it.
    await until(async () => {
      for (let i = 0; i < N; i++) if (!acked.has(`ord-${i}`)) risk.send(approval(i));
      await new Promise((r) => setTimeout(r, 300));
      return acked.size === N;
    }, 'every order acknowledged', 60_000);
    expect(ackedAtCrash).toBeLessThan(N);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    closers.push(() => client.end());
    // Reports the OMS missed while it was down are recovered by reconciliation with the venue.
    await until(async () => (await client.query("SELECT count(*)::int AS n FROM orders WHERE status <> 'Filled'")).rows[0].n === 0, 'every order Filled in the ledger', 60_000);
    const q = async (sql: string): Promise<number> => (await client.query(sql)).rows[0].n as number;
    expect(await q('SELECT count(*)::int AS n FROM orders')).toBe(N);
    expect(await q('SELECT count(DISTINCT (strategy_id, client_order_id))::int AS n FROM orders')).toBe(N);
    expect(await q('SELECT count(*)::int AS n FROM fills')).toBe(N);
    expect(await q('SELECT count(DISTINCT order_id)::int AS n FROM fills')).toBe(N);
    expect(await q('SELECT count(*)::int AS n FROM orders o WHERE cum_qty <> quantity OR leaves_qty <> 0')).toBe(0);
    expect(await q('SELECT count(*)::int AS n FROM (SELECT order_id FROM order_events GROUP BY order_id HAVING count(*) <> max(seq)) x')).toBe(0);
    // The venue got exactly N distinct orders (resends of a known orderId are not new orders).
    expect(venueOrders.size).toBe(N);
    expect(new Set(venueSeen).size).toBe(N);
  }, 120_000);
});
