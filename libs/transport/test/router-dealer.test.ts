import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import { decodeMessage, encodeMessage, envelope, type MessageInput } from '@hft/messages';
import { Request } from 'zeromq';
import { CommandServer, DealerClient, ERR_RPC_TIMEOUT, FrameGuard, RouterServer, RpcClient, SendQueue } from '../src/index.js';
import { metricValue, until } from './helpers.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

function freePortEndpoint(): string {
  return `tcp://127.0.0.1:${20000 + Math.floor(Math.random() * 20000)}`;
}

const check = (): MessageInput<'CheckOrder'> & { eventId: string } => ({
  type: 'CheckOrder',
  ...envelope(),
  strategyId: 's',
  clientOrderId: 'c',
  symbol: 'AAPL',
  side: 'buy',
  orderType: 'limit',
  timeInForce: 'gtc',
  price: 10,
  quantity: 1,
  tsTick: null,
});

describe('RouterServer / DealerClient', () => {
  it('queues commands sent before the server is up and delivers all of them, in order', async () => {
    const endpoint = freePortEndpoint();
    const client = new DealerClient({ stream: 't_orders', endpoint, identity: 'strategy-1' });
    client.start();
    closers.push(() => client.close());
    for (let i = 0; i < 500; i++) client.send(`cmd-${i}`);
    await new Promise((r) => setTimeout(r, 50));
    const got: string[] = [];
    const peers = new Set<string>();
    const server = new RouterServer({ stream: 't_orders', endpoint });
    await server.start((peer, body) => {
      peers.add(peer.toString());
      got.push(body.toString());
    });
    closers.push(() => server.close());
    await until(() => got.length === 500);
    expect(got).toEqual(Array.from({ length: 500 }, (_, i) => `cmd-${i}`));
    expect([...peers]).toEqual(['strategy-1']);
  });

  it('routes replies back to the sending peer and counts unroutable ones', async () => {
    const server = new RouterServer({ stream: 't_rr', endpoint: 'tcp://127.0.0.1:*' });
    await server.start((peer, body) => server.send(peer, `echo:${body.toString()}`));
    closers.push(() => server.close());
    const replies: string[] = [];
    const client = new DealerClient({ stream: 't_rr', endpoint: server.boundEndpoint });
    client.start((body) => replies.push(body.toString()));
    closers.push(() => client.close());
    client.send('hi');
    await until(() => replies.length === 1);
    expect(replies).toEqual(['echo:hi']);
    server.send(Buffer.from('nobody'), 'lost');
    await server.drain();
    expect(await metricValue('hft_zmq_send_dropped_total', { stream: 't_rr', reason: 'unroutable' })).toBe(1);
  });

  it('refuses pushes beyond the local queue capacity', async () => {
    const { Dealer } = await import('zeromq');
    const sock = new Dealer({ linger: 0 });
    closers.push(async () => sock.close());
    const q = new SendQueue(sock, 't_cap', 3);
    // Not connected: the first send blocks inside ZeroMQ, the rest wait in the queue.
    const results = Array.from({ length: 6 }, (_, i) => q.push([`m${i}`]));
    expect(results.filter((r) => !r).length).toBeGreaterThanOrEqual(2);
    expect(await metricValue('hft_zmq_send_dropped_total', { stream: 't_cap', reason: 'queue_full' })).toBe(results.filter((r) => !r).length);
  });
});

describe('RpcClient', () => {
  it('matches concurrent replies to their requests even when answered out of order', async () => {
    const server = new RouterServer({ stream: 't_rpc', endpoint: 'tcp://127.0.0.1:*' });
    const held: [Buffer, string, number][] = [];
    await server.start((peer, body) => {
      const r = decodeMessage(body, ['CheckOrder']);
      if (!r.ok) return;
      held.push([peer, r.value.eventId, r.value.quantity]);
      if (held.length === 20) {
        for (const [p, id, qty] of held.reverse()) {
          const reply = { type: 'OrderCheckResult', ...envelope({ eventId: id }), strategyId: 's', clientOrderId: 'c', symbol: 'AAPL', approved: qty % 2 === 0, code: null, reason: null, values: { qty } };
          server.send(p, encodeMessage(reply as never));
        }
      }
    });
    closers.push(() => server.close());
    const rpc = new RpcClient('t_rpc', server.boundEndpoint);
    rpc.start();
    closers.push(() => rpc.close());
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => rpc.request({ ...check(), quantity: i + 1 })));
    replies.forEach((r, i) => {
      expect(r.type).toBe('OrderCheckResult');
      if (r.type === 'OrderCheckResult') expect(r.values['qty']).toBe(i + 1);
    });
  });

  it('times out with a clear error when nobody answers', async () => {
    const rpc = new RpcClient('t_rpc_to', freePortEndpoint());
    rpc.start();
    closers.push(() => rpc.close());
    await expect(rpc.request(check(), 100)).rejects.toSatisfy((e) => ERR_RPC_TIMEOUT.is(e) && /no reply to CheckOrder within 100 ms/.test((e as Error).message));
  });
});

describe('CommandServer', () => {
  it('answers every request, a REQ client included: an invalid CheckOrder gets CommandRefused with the reason', async () => {
    const log = createLogger({ daemon: 't', level: 'silent' });
    const server = await new CommandServer('risk_check', { endpoint: 'tcp://127.0.0.1:*', log }).start((peer, msg, viaReq) => {
      server.reply(peer, { type: 'OrderCheckResult', ...envelope(msg), strategyId: msg.strategyId, clientOrderId: msg.clientOrderId, symbol: msg.symbol, approved: true, code: null, reason: null, values: {} }, viaReq);
    });
    closers.push(() => server.close());
    const req = new Request({ receiveTimeout: 5000 });
    req.connect(server.boundEndpoint);
    closers.push(async () => req.close());
    const ask = async (body: string): Promise<Record<string, unknown>> => {
      await req.send(body);
      const [reply] = await req.receive();
      return JSON.parse(reply!.toString()) as Record<string, unknown>;
    };
    const bad = { ...check(), quantity: -5, tsEvent: String(check().tsEvent), tsInit: String(check().tsInit) };
    expect(await ask(JSON.stringify(bad))).toMatchObject({ type: 'CommandRefused', causationId: bad.eventId, refusedType: 'CheckOrder', clientOrderId: 'c', reason: 'invalid_fields', detail: expect.stringMatching(/^CheckOrder: quantity: /) });
    expect(await ask('{not json')).toMatchObject({ type: 'CommandRefused', causationId: null, refusedType: null, reason: 'malformed_json' });
    expect(await ask(JSON.stringify({ ...bad, type: 'SubmitOrder' }))).toMatchObject({ type: 'CommandRefused', refusedType: 'SubmitOrder', reason: 'unexpected_type' });
    // A valid one still gets its answer on the same lockstep socket.
    const good = check();
    expect(await ask(encodeMessage(good).toString())).toMatchObject({ type: 'OrderCheckResult', causationId: good.eventId, approved: true });
    expect(await metricValue('hft_messages_dropped_total', { stream: 'risk_check', reason: 'invalid_fields' })).toBe(1);
  });
});

describe('FrameGuard', () => {
  it('counts and logs drops by reason without throwing', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (b: Buffer) => lines.push(b.toString()));
    const guard = new FrameGuard('t_guard', createLogger({ daemon: 't', destination: out }));
    expect(guard.json(Buffer.from('{nope'))).toBeUndefined();
    expect(guard.json(Buffer.from('{"type":"Nope"}'))).toBeUndefined();
    expect(guard.json(Buffer.from('{"type":"Nope"}'))).toBeUndefined();
    await new Promise((r) => setImmediate(r));
    expect(await metricValue('hft_messages_dropped_total', { stream: 't_guard', reason: 'unknown_type' })).toBe(2);
    expect(await metricValue('hft_messages_dropped_total', { stream: 't_guard', reason: 'malformed_json' })).toBe(1);
    // Rate-limited: one line per reason per second.
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ stream: 't_guard', reason: 'unknown_type', msg: 'dropped malformed frame' });
  });
});
