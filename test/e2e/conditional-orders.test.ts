// Conditional orders as the risk officer and the quant meet them: a GTT placed over REST with a risk
// token while the sample replays triggers, its exit fills, and the SSE stream tells each state; a GTT
// placed before the replay triggers live exactly where a backtest of the same file says it does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followSse, startTestPlatform, until, type TestPlatform } from '@hft/testing';

let P: TestPlatform;
let rita: string;

// Fixed levels far apart: the exit comes long after the entry's fill, so live and backtest agree
// whatever the fill's latency (a trailing leg starts from the price at the fill, which the backtest has at once).
const PARITY = { type: 'MULTIPLE', quantity: 10, instrument: 'AAPL', transaction_type: 'BUY', rules: [{ strategy: 'ENTRY', trigger_type: 'ABOVE', trigger_price: 187.6 }, { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: 187.78 }, { strategy: 'STOPLOSS', trigger_type: 'IMMEDIATE', trigger_price: 187.4 }] };

type Gtt = { conditionalId: string; status: string; reason: string | null; parts: { part: string; status: string }[] };
type Event = { type: string; conditionalId: string; seq: number; tsEvent: string; part?: string; price?: number; level?: number; conditional: Gtt };

beforeAll(async () => {
  P = await startTestPlatform({ speed: '10', hold: ['market-data'] });
  rita = await P.login('rita');
}, 180_000);
afterAll(async () => {
  await P?.stop();
}, 60_000);

const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(P.url('monitoring', path), { method, headers: { authorization: `Bearer ${rita}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const gtt = async (id: string): Promise<Gtt> => (await api('GET', `/api/v1/gtt/${id}`)).json['conditional'] as Gtt;

/** Follow /api/stream/orders (the token as EventSource passes it) and keep the conditional-order events. */
const follow = (): { events: Event[]; close(): void } => followSse<Event>(P.url('monitoring', `/api/stream/orders?instruments=AAPL&access_token=${encodeURIComponent(rita)}`), 'conditional');

describe('conditional orders end to end (seven processes, real sockets, Redis and Postgres)', () => {
  it('a GTT placed over REST during the replay triggers, exits with a fill, and the SSE stream reports each state; one placed before it triggers where the backtest says', async () => {
    const sse = follow();
    try {
      expect((await api('POST', '/api/v1/gtt/place', { ...PARITY, gtt_id: 'parity' })).status).toBe(201);
      await P.startHeld('market-data');

      // During the replay: a buy that enters on the next trade (an if-touched above the market), with a
      // far target and a tight trailing stop-loss.
      const last = await until(async () => ((await api('GET', '/api/v1/market/quote/AAPL')).json['last'] as number | null) ?? undefined, 'an AAPL trade', 30_000);
      const cents = Math.round(last * 100);
      const px = (c: number): number => c / 100;
      const live = { type: 'MULTIPLE', quantity: 5, instrument: 'AAPL', transaction_type: 'BUY', rules: [{ strategy: 'ENTRY', trigger_type: 'BELOW', trigger_price: px(cents + 5) }, { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: px(cents + 60) }, { strategy: 'STOPLOSS', trigger_type: 'IMMEDIATE', trigger_price: px(cents - 3), trailing_gap: 0.02 }] };
      const placed = await api('POST', '/api/v1/gtt/place', { ...live, gtt_id: 'live' });
      expect(placed.status).toBe(201);
      expect(placed.json).toMatchObject({ gtt_id: 'live', status: 'Pending', conditional: { strategyId: 'manual', symbol: 'AAPL', side: 'buy', quantity: 5 } });
      await until(async () => ['Completed', 'Canceled', 'Denied', 'Rejected'].includes((await gtt('live')).status) || undefined, 'the live GTT over', 60_000);
      const g = await gtt('live');
      expect([g.status, g.reason]).toEqual(['Completed', null]);
      // Its child orders are in the ledger, filled: the entry and the exit that triggered.
      const exit = g.parts.find((x) => x.part !== 'entry' && x.status === 'triggered')!.part;
      const fills = (await P.db.query<{ client_order_id: string; side: string; qty: number }>("SELECT o.client_order_id, f.side, sum(f.quantity)::float8 AS qty FROM fills f JOIN orders o USING (order_id) WHERE o.strategy_id = 'manual' AND o.client_order_id LIKE 'live:%' GROUP BY 1, 2 ORDER BY 1")).rows;
      expect(fills).toEqual([{ client_order_id: 'live:entry', side: 'buy', qty: 5 }, { client_order_id: `live:${exit}`, side: 'sell', qty: 5 }]);
      // Every state on the stream, in order, numbered without a hole.
      await until(() => sse.events.some((e) => e.conditionalId === 'live' && e.type === 'ConditionalOrderCompleted') || undefined, 'Completed on the SSE stream');
      const states = sse.events.filter((e) => e.conditionalId === 'live').map((e) => `${e.type.replace('ConditionalOrder', '')}${e.part ? ` ${e.part}` : ''} ${e.conditional.status}`);
      expect(states[0]).toBe('Placed Pending');
      expect(states[1]).toBe('Triggered entry Triggered');
      expect(states.slice(2, -2).every((s) => s === 'Armed Armed')).toBe(true);
      expect(states.slice(-2)).toEqual([`Triggered ${exit} Triggered`, 'Completed Completed']);
      const seqs = sse.events.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_s, i) => seqs[0]! + i));

      // The GTT placed before the replay, live against the backtest of the same file.
      await until(async () => ['Completed', 'Canceled', 'Denied', 'Rejected'].includes((await gtt('parity')).status) || undefined, 'the parity GTT over', 60_000);
      // The events as Postgres has them (committed a few ms behind the stream).
      const got = await until(async () => {
        const r = (await api('GET', '/api/v1/gtt/parity')).json as { conditional: Gtt; events: Event[] };
        return r.events.some((e) => e.type === 'ConditionalOrderCompleted') ? r : undefined;
      }, 'the parity GTT\'s events in the ledger');
      expect(got.conditional.status).toBe('Completed');
      const liveTriggers = got.events.filter((e) => e.type === 'ConditionalOrderTriggered').map((e) => ({ part: e.part, price: e.price, level: e.level, tsEvent: e.tsEvent }));
      const bt = await api('POST', '/api/backtest', { files: ['data/market_data.csv'], strategies: {}, gtts: [{ ...PARITY, gtt_id: 'parity' }] });
      expect(bt.status).toBe(200);
      const backtest = (bt.json['conditional'] as { triggers: { part: string; price: number; level: number; tsEvent: string }[] }).triggers.map((t) => ({ part: t.part, price: t.price, level: t.level, tsEvent: t.tsEvent }));
      expect(liveTriggers).toEqual(backtest);
      expect(liveTriggers.map((t) => t.part)).toEqual(['entry', expect.stringMatching(/^leg[01]$/)]);
      // The exit is seconds of data after the entry: the fill's latency cannot change it.
      expect(BigInt(backtest[1]!.tsEvent) - BigInt(backtest[0]!.tsEvent)).toBeGreaterThan(5_000_000_000n);
    } finally {
      sse.close();
    }
  }, 240_000);

  it('refuses what is not a GTT with the field and why, and a dev token may read but not place', async () => {
    const bad = await api('POST', '/api/v1/gtt/place', { ...PARITY, rules: [{ strategy: 'ENTRY', trigger_type: 'ABOVE', trigger_price: 187.6 }, { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: 187.5 }] });
    expect(bad.status).toBe(400);
    expect(bad.json['issues']).toEqual([{ path: 'rules.1.trigger_price', message: 'a BUY target must be above the entry 187.6' }]);
    const dana = await P.login('dana');
    const asDev = await fetch(P.url('monitoring', '/api/v1/gtt/place'), { method: 'POST', headers: { authorization: `Bearer ${dana}`, 'content-type': 'application/json' }, body: JSON.stringify(PARITY) });
    expect(asDev.status).toBe(403);
    const list = await fetch(P.url('monitoring', '/api/v1/gtt/'), { headers: { authorization: `Bearer ${dana}` } });
    expect(((await list.json()) as { gtts: { conditionalId: string }[] }).gtts.map((x) => x.conditionalId).sort()).toEqual(['live', 'parity']);
    expect((await api('DELETE', '/api/v1/gtt/cancel?gtt_id=nope')).json).toMatchObject({ code: 'unknown_conditional_order' });
  });
});
