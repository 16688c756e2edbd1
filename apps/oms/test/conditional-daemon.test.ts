// The OMS's trigger engine in a real OMS process: the test plays market-data (trade ticks), risk (it
// takes the children the OMS releases, approves or denies them, and sends a kill-switch's cancel-all)
// and the venue (accepts and fills). The OMS is killed with SIGKILL in the middle of a trail.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { Aggressor, CONDITIONAL_PREFIX, DenyCode, envelope, TickFrameEncoder, TickKind, topics, type ConditionalEvent, type SubmitOrder } from '@hft/messages';
import { platformEnv, privateDatabase, startDaemon, testSigner, until, type DaemonProcess } from '@hft/testing';
import { CommandClient, CommandServer, Publisher, StreamLink } from '@hft/transport';

const log = createLogger({ daemon: 'oms-conditional-test', level: 'silent' });
const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const SEED = { type: 'MULTIPLE', quantity: 25, instrument: 'AAPL', transaction_type: 'BUY', rules: [{ strategy: 'ENTRY', trigger_type: 'ABOVE', trigger_price: 200 }, { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: 220 }, { strategy: 'STOPLOSS', trigger_type: 'IMMEDIATE', trigger_price: 190, trailing_gap: 5 }] };
type View = { status: string; reason: string | null; filledQty: number; parts: { part: string; status: string; level: number | null; extreme: number | null; clientOrderId: string | null }[] };

describe('oms trigger engine (real process)', () => {
  it('a GTT over REST triggers on its tick, arms after the fill, keeps its trailing mark across kill -9, exits once; a denied child and a kill-switch end GTTs with the reason', async () => {
    const db = await privateDatabase();
    closers.push(() => db.drop());
    const signer = testSigner();
    const p = await platformEnv({ DATABASE_URL: db.url, HFT__SECURITY__PUBLIC_KEY_FILE: signer.publicKeyFile, HFT__SCHEDULING__POLICY: 'normal' });

    // The venue: accepts and fills every order in full at its price (market orders at the last trade).
    let last = 0;
    const venue = new CommandServer('venue', { endpoint: p.endpoint.venue, log, handover: true });
    const atVenue = new Set<number>();
    await venue.start((peer, m) => {
      if (m.type !== 'VenueSubmitOrder' || atVenue.has(m.orderId)) return;
      atVenue.add(m.orderId);
      const px = m.price ?? last;
      const base = { strategyId: m.strategyId, clientOrderId: m.clientOrderId, symbol: m.symbol, orderId: m.orderId };
      venue.reply(peer, { type: 'OrderAccepted', ...envelope(m), ...base, side: m.side, price: m.price, quantity: m.quantity, tsTick: null });
      venue.reply(peer, { type: 'OrderFilled', ...envelope(m), ...base, execId: `F-${m.orderId}`, side: m.side, lastPx: px, lastQty: m.quantity, cumQty: m.quantity, leavesQty: 0, avgPx: px, liquidity: 'taker', fee: 0, tsTick: null });
    });
    closers.push(() => venue.close());

    // Risk: children come in on the orders socket; approved ones go on to the OMS, `deny` ones are refused.
    const children: SubmitOrder[] = [];
    const deny = new Set<string>();
    const oms = new CommandClient('approved', { endpoint: p.endpoint.approved, log, identity: 'risk-test' }).start();
    closers.push(() => oms.close());
    const risk = new CommandServer('orders', { endpoint: p.endpoint.orders, log, handover: true });
    await risk.start((peer, m) => {
      if (m.type !== 'SubmitOrder') return;
      children.push(m);
      if (deny.has(m.clientOrderId)) {
        risk.reply(peer, { type: 'OrderDenied', ...envelope(m), strategyId: m.strategyId, clientOrderId: m.clientOrderId, symbol: m.symbol, orderId: null, code: DenyCode.MaxPosition, reason: 'position 125 would pass the limit 100', values: { limit: 100, requested: 125 } });
        return;
      }
      const { type: _t, eventId: _e, tsInit: _i, causationId: _c, seq: _s, ...fields } = m;
      oms.send({ type: 'OrderApproved', ...envelope(m), ...fields });
    });
    closers.push(() => risk.close());

    // Market data: AAPL trades, one frame each.
    const ticks = new Publisher({ stream: 'ticks', endpoint: p.endpoint.ticks, linger: 0 });
    await ticks.bind();
    closers.push(() => ticks.close());
    let seq = 0;
    const trade = (px: number): void => {
      last = px;
      const t = 1_700_000_000_000_000_000n + BigInt(++seq) * 1_000_000n;
      const enc = new TickFrameEncoder('AAPL', -2, 0, 1);
      enc.add(seq, Number(t / 1_000_000_000n), Number(t % 1_000_000_000n), TickKind.Trade, Aggressor.Buyer, Math.round(px * 100), 1);
      ticks.publish(topics.tick('AAPL'), enc.finish(t));
    };

    // A consumer of the conditional-order events.
    const events: ConditionalEvent[] = [];
    let heads = 0;
    // orders-heads too: its once-a-second message says the subscription is live (a PUB drops what comes before).
    const stream = new StreamLink('order_events', { endpoint: p.endpoint.order_events, topics: [CONDITIONAL_PREFIX, topics.orderHeads], log }).start((m) => {
      if ('conditionalId' in m) events.push(m);
      else if (m.type === 'OrderStreamHeads') heads++;
    });
    closers.push(() => stream.close());

    const start = (): DaemonProcess => {
      const d = startDaemon('oms', [], p.env);
      closers.push(() => d.stop());
      return d;
    };
    let daemon = start();
    await daemon.ready(p.http.oms);
    await until(() => heads > 0 || undefined, 'subscribed to the order-event stream');
    const riskToken = signer.token('rita', ['risk']);
    const devToken = signer.token('dana', ['dev']);
    const api = async (method: string, path: string, body?: unknown, token = riskToken): Promise<{ status: number; json: Record<string, unknown> }> => {
      const res = await fetch(`http://127.0.0.1:${p.http.oms}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const view = async (id: string): Promise<View> => (await api('GET', `/api/v1/gtt/${id}`, undefined, devToken)).json['conditional'] as View;

    expect((await api('POST', '/api/v1/gtt/place', { ...SEED, gtt_id: 'g1' }, devToken)).status).toBe(403);
    const bad = await api('POST', '/api/v1/gtt/place', { ...SEED, rules: [{ ...SEED.rules[0], trigger_price: 200.001 }, SEED.rules[1]] });
    expect(bad.status).toBe(400);
    expect(bad.json['issues']).toEqual([{ path: 'rules.0.trigger_price', message: '200.001 is not a whole number of ticks of AAPL' }]);
    const placed = await api('POST', '/api/v1/gtt/place', { ...SEED, gtt_id: 'g1' });
    expect(placed.status).toBe(201);
    expect(placed.json).toMatchObject({ gtt_id: 'g1', status: 'Pending' });
    expect((await api('POST', '/api/v1/gtt/place', { ...SEED, gtt_id: 'g1' })).json).toMatchObject({ code: 'duplicate_conditional_id' });

    // Fires on the tick through 200 and not before; legs wait for the entry's fill.
    await new Promise((r) => setTimeout(r, 300)); // the OMS subscribed to AAPL when g1 was placed
    trade(199.99);
    trade(200.0);
    await until(() => children.length === 1 || undefined, 'the entry released');
    expect(children[0]).toMatchObject({ clientOrderId: 'g1:entry', side: 'buy', orderType: 'market', quantity: 25, strategyId: 'manual' });
    await until(async () => (await view('g1')).status === 'Armed' || undefined, 'g1 armed after the entry filled');
    for (const px of [204, 210]) trade(px);
    await until(async () => (await view('g1')).parts.find((x) => x.part === 'leg1')!.extreme === 210 || undefined, 'the trail at 210');

    // kill -9 in the middle of the trail; the restarted OMS carries on from its mark (level 205).
    expect(await daemon.stop('SIGKILL')).not.toBe(0);
    daemon = start();
    await daemon.ready(p.http.oms);
    const again = await view('g1');
    expect(again.status).toBe('Armed');
    expect(again.parts.find((x) => x.part === 'leg1')).toMatchObject({ status: 'waiting', level: 205, extreme: 210 });
    await new Promise((r) => setTimeout(r, 300));
    trade(205.01);
    await new Promise((r) => setTimeout(r, 200));
    expect(children).toHaveLength(1);
    trade(205.0);
    await until(() => children.length === 2 || undefined, 'the stop-loss released');
    expect(children[1]).toMatchObject({ clientOrderId: 'g1:leg1', side: 'sell', orderType: 'market', quantity: 25 });
    await until(async () => (await view('g1')).status === 'Completed' || undefined, 'g1 completed');
    expect((await view('g1')).parts.map((x) => [x.part, x.status])).toEqual([['entry', 'triggered'], ['leg0', 'canceled'], ['leg1', 'triggered']]);
    trade(221); // the target was cancelled with the stop's release: nothing more
    await new Promise((r) => setTimeout(r, 200));
    expect(children).toHaveLength(2);

    // A child denied by risk ends its GTT with the reason.
    deny.add('g2:entry');
    expect((await api('POST', '/api/v1/gtt/place', { ...SEED, gtt_id: 'g2', rules: [{ ...SEED.rules[0], trigger_price: 225 }, { ...SEED.rules[1], trigger_price: 240 }] })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    trade(225.5);
    await until(async () => (await view('g2')).status === 'Denied' || undefined, 'g2 denied');
    expect((await view('g2')).reason).toBe('max_position: position 125 would pass the limit 100');

    // A kill-switch (risk's cancel-all) cancels what waits, and nothing new is placed while it is engaged.
    expect((await api('POST', '/api/v1/gtt/place', { ...SEED, gtt_id: 'g3', rules: [{ ...SEED.rules[0], trigger_price: 300 }] , type: 'SINGLE' })).status).toBe(201);
    oms.send({ type: 'CancelAllOrders', ...envelope(), scope: 'global', strategyId: null, symbol: null, reason: 'kill-switch: test' });
    await until(async () => (await view('g3')).status === 'Canceled' || undefined, 'g3 cancelled by the kill-switch');
    expect((await view('g3')).reason).toBe('kill-switch: test');
    expect((await api('POST', '/api/v1/gtt/place', { ...SEED, gtt_id: 'g4' })).json).toMatchObject({ code: 'kill_switch' });
    expect((await api('DELETE', '/api/v1/gtt/cancel?gtt_id=g3')).json).toMatchObject({ code: 'not_modifiable' });

    // The stream: each state change once, in sequence across the restart, and all of it in Postgres.
    const mine = (id: string) => events.filter((e) => e.conditionalId === id).map((e) => e.type.replace('ConditionalOrder', ''));
    await until(() => mine('g3').includes('Canceled') || undefined, 'the stream caught up');
    expect(mine('g1')).toEqual(['Placed', 'Triggered', 'Armed', 'Triggered', 'Completed']);
    expect(mine('g2')).toEqual(['Placed', 'Triggered', 'Denied']);
    expect(events.map((e) => e.seq)).toEqual(events.map((_e, i) => i + 1));
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    closers.push(() => client.end());
    await until(async () => Number((await client.query("SELECT count(*) AS n FROM conditional_events WHERE strategy_id = 'manual'")).rows[0].n) === events.length || undefined, 'every event in Postgres');
    const rows = (await client.query('SELECT conditional_id, status FROM conditional_orders ORDER BY conditional_id')).rows;
    expect(rows).toEqual([{ conditional_id: 'g1', status: 'Completed' }, { conditional_id: 'g2', status: 'Denied' }, { conditional_id: 'g3', status: 'Canceled' }]);
    const list = (await api('GET', '/api/v1/gtt/?status=Completed', undefined, devToken)).json['gtts'] as { conditionalId: string }[];
    expect(list.map((g) => g.conditionalId)).toEqual(['g1']);
  }, 120_000);
});
