import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { encodeFix, FileSessionStore, FixFramer, FixSession, fixTime, type Frame } from '@hft/fix';
import { envelope, type OrderEvent, type SubmitOrder } from '@hft/messages';
import { initMetrics } from '@hft/metrics';
import { gatewayMetrics } from '../src/gateway-metrics.js';
import { OrderDesk } from '../src/order-desk.js';

initMetrics('fix-gateway-test');
const cfg = loadConfig({ path: join(workspaceRoot(), 'config', 'platform.toml'), env: {} });
const instruments = InstrumentRegistry.fromConfig(cfg);
const metrics = gatewayMetrics();
const settings = { beginString: 'FIX.4.4', ourCompId: 'HFT', theirCompId: 'C1', maxHeartBtInt: 60, maxClockSkewMs: 120_000 };

function frame(type: string, seq: number, body: [number, string | number][]): Frame {
  const f = new FixFramer();
  f.push(encodeFix('FIX.4.4', [[35, type], [49, 'C1'], [56, 'HFT'], [34, seq], [52, fixTime(Date.now())], ...body]));
  return f.next() as Frame;
}

function gateway(dir: string) {
  const sent: SubmitOrder[] = [];
  const cancels: string[] = [];
  const out: Frame[] = [];
  const framer = new FixFramer();
  const desk = new OrderDesk({ strategyId: 'fx', instruments, send: (c) => (c.type === 'SubmitOrder' ? sent.push(c) : c.type === 'CancelOrder' && cancels.push(c.clientOrderId), true), mayTrade: () => true, metrics });
  const session = new FixSession(settings, FileSessionStore.open(dir, 's'), { authenticate: async () => ({ ok: true }), onMessage: (m) => desk.onMessage(m) });
  desk.bind(session);
  const conn = {
    write: (raw: Buffer) => {
      framer.push(raw);
      for (let f = framer.next(); f; f = framer.next()) if (!('garbled' in f)) out.push(f);
    },
    end: () => {},
  };
  return { desk, session, sent, cancels, out, conn, reports: () => out.filter((f) => f.msg.type === '8').map((f) => [f.msg.get(11), f.msg.get(150), f.msg.get(39), f.msg.get(14)]) };
}

const ev = (e: Omit<OrderEvent, 'eventId' | 'tsEvent' | 'tsInit' | 'causationId'>, seq: number): OrderEvent => ({ ...envelope(), ...e, seq }) as OrderEvent;

describe('order desk', () => {
  it('turns order events into execution reports once, also across a restart that replays the whole stream', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-'));
    const a = gateway(dir);
    a.session.attach(a.conn, frame('A', 1, [[98, 0], [108, 30]]));
    await new Promise((r) => setTimeout(r, 10));
    a.session.onFrame(frame('D', 2, [[11, 'o1'], [55, 'AAPL'], [54, '1'], [38, '10'], [40, '2'], [44, '187.4'], [60, fixTime(Date.now())]]));
    expect(a.sent).toHaveLength(1);
    const spec = { strategyId: 'fx', clientOrderId: 'o1', symbol: 'AAPL' };
    const events = [
      ev({ ...a.sent[0]!, type: 'OrderSubmitted', orderId: 7 } as never, 1),
      ev({ type: 'OrderAccepted', ...spec, orderId: 7, side: 'buy', price: 187.4, quantity: 10, tsTick: null } as never, 2),
      ev({ type: 'OrderFilled', ...spec, orderId: 7, execId: 'x1', side: 'buy', lastPx: 187.4, lastQty: 4, cumQty: 4, leavesQty: 6, avgPx: 187.4, liquidity: 'maker', fee: 0, tsTick: null } as never, 3),
    ];
    for (const e of events.slice(0, 2)) a.desk.onEvent(e);
    expect(a.reports()).toEqual([
      ['o1', 'A', 'A', '0'],
      ['o1', '0', '0', '0'],
    ]);
    a.session.store.close();
    // Restart: the store brings the order back; the stream is replayed from the start, one event more.
    const b = gateway(dir);
    for (const e of events) b.desk.onEvent(e);
    b.session.attach(b.conn, frame('A', 3, [[98, 0], [108, 30]]));
    await new Promise((r) => setTimeout(r, 10));
    b.session.onFrame(frame('2', 4, [[7, 1], [16, 0]]));
    const got = b.reports();
    // The resend repeats what was sent (PossDup), and the fill is the only new report.
    expect(got.filter((r) => r[1] === 'F')).toEqual([['o1', 'F', '1', '4']]);
    expect(got.filter((r) => r[1] === '0')).toHaveLength(1);
    expect(b.desk.openOrders).toBe(1);
  });

  it('voids, after a restart, an order the store took in that the stream never mentioned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-'));
    const a = gateway(dir);
    a.session.attach(a.conn, frame('A', 1, [[98, 0], [108, 30]]));
    await new Promise((r) => setTimeout(r, 10));
    a.session.onFrame(frame('D', 2, [[11, 'lost'], [55, 'AAPL'], [54, '2'], [38, '3'], [40, '2'], [44, '190'], [60, fixTime(Date.now())]]));
    a.session.store.close();
    const b = gateway(dir);
    expect(b.desk.voidUnanswered()).toBe(1);
    expect(b.cancels).toEqual(['lost']);
  });
});
