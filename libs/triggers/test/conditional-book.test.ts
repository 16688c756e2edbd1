import { describe, expect, it } from 'vitest';
import { DenyCode } from '@hft/messages';
import { applyChange, applyTrail, ConditionalBook, parseGtt, type ChildOrder, type ConditionalChange, type ConditionalOrderSpec, type ConditionalRecord, type TriggerSource } from '../src/index.js';

type Logged = { kind: 'change'; id: string; c: ConditionalChange } | { kind: 'trail'; symbol: string; source: TriggerSource; direction: 'fall' | 'rise'; price: number };

function harness() {
  const log: Logged[] = [];
  const sent: ChildOrder[] = [];
  const cancels: string[] = [];
  const book = new ConditionalBook({
    changed: (r, c) => log.push({ kind: 'change', id: r.spec.id, c }),
    trailed: (symbol, source, direction, price) => log.push({ kind: 'trail', symbol, source, direction, price }),
    submit: (_r, child) => sent.push(child),
    cancelChild: (_r, cid) => cancels.push(cid),
  });
  return { book, log, sent, cancels, types: () => log.filter((l) => l.kind === 'change').map((l) => (l as { c: ConditionalChange }).c.type) };
}

/** What a restart rebuilds: the fold of the log (changes and trailing marks, in order). */
function replay(log: readonly Logged[]): ConditionalRecord[] {
  const recs = new Map<string, ConditionalRecord>();
  for (const l of log) {
    if (l.kind === 'change') recs.set(l.id, applyChange(recs.get(l.id), l.c));
    else for (const [id, r] of recs) if (r.spec.symbol === l.symbol) recs.set(id, applyTrail(r, l.source, l.direction, l.price));
  }
  return [...recs.values()];
}

// The seed GTT (AAPL, 2 price decimals, lot 1): buy 25 above 200, target 220, trailing stop-loss from 190 with a gap of 5.
const SEED = { type: 'MULTIPLE', quantity: 25, instrument: 'AAPL', transaction_type: 'BUY', rules: [{ strategy: 'ENTRY', trigger_type: 'ABOVE', trigger_price: 200 }, { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: 220 }, { strategy: 'STOPLOSS', trigger_type: 'IMMEDIATE', trigger_price: 190, trailing_gap: 5 }] };
const t = (seq: number) => ({ seq, ts: BigInt(seq) * 1_000_000n });
const units = { price: (p: number) => Math.round(p * 100), quantity: (q: number) => q };
function seed(id = 'g1'): ConditionalOrderSpec {
  const g = parseGtt(SEED, id, 'manual', units);
  if (!g.ok) throw new Error(JSON.stringify(g.issues));
  return { id, ...g.owner, quantity: 25, entry: g.bracket.entry, legs: g.bracket.legs };
}

describe('ConditionalBook', () => {
  it('the seed GTT: the entry fires on the tick through 200, the legs appear only after the entry fills, and the trailing stop-loss fires at high - 5', () => {
    const { book, sent, types } = harness();
    expect(book.place(seed())).toBeNull();
    book.onQuote('AAPL', { last: 19_990 }, t(1));
    expect(sent).toEqual([]);
    book.onQuote('AAPL', { last: 20_010 }, t(2));
    expect(sent).toEqual([{ clientOrderId: 'g1:entry', side: 'buy', quantity: 25, orderType: 'market', price: null }]);
    expect(book.get('g1')!.status).toBe('Triggered');
    // No leg waits before a fill: a drop to 185 releases nothing.
    book.onQuote('AAPL', { last: 18_500 }, t(3));
    expect(sent).toHaveLength(1);
    book.onChild('g1:entry', 10, null);
    expect(book.get('g1')!.status).toBe('Armed');
    expect(book.levels('g1').leg1).toEqual({ level: 19_000, extreme: 19_500 });
    book.onChild('g1:entry', 25, { how: 'filled' });
    book.onQuote('AAPL', { last: 21_000 }, t(4)); // the trail rises: level 205
    expect(book.levels('g1').leg1).toEqual({ level: 20_500, extreme: 21_000 });
    book.onQuote('AAPL', { last: 20_600 }, t(5));
    expect(sent).toHaveLength(1);
    book.onQuote('AAPL', { last: 20_500 }, t(6));
    expect(sent[1]).toEqual({ clientOrderId: 'g1:leg1', side: 'sell', quantity: 25, orderType: 'market', price: null });
    // OCO: the target is cancelled the moment the stop released its child: both can never fill.
    expect(book.get('g1')!.parts.leg0!.status).toBe('canceled');
    book.onQuote('AAPL', { last: 22_500 }, t(7));
    expect(sent).toHaveLength(2);
    book.onChild('g1:leg1', 25, { how: 'filled' });
    expect(book.get('g1')!.status).toBe('Completed');
    expect(types()).toEqual(['placed', 'triggered', 'armed', 'armed', 'triggered', 'completed']);
  });

  it('restart in the middle of a trail keeps its high-water mark: the fold of the log gives the live mark', () => {
    const a = harness();
    a.book.place(seed());
    a.book.onQuote('AAPL', { last: 20_010 }, t(1));
    a.book.onChild('g1:entry', 25, { how: 'filled' });
    for (const [i, p] of [20_400, 21_300, 21_000, 21_700, 21_650].entries()) a.book.onQuote('AAPL', { last: p }, t(2 + i));
    expect(a.book.levels('g1').leg1).toEqual({ level: 21_200, extreme: 21_700 });
    // Only new highs are logged, once each.
    expect(a.log.filter((l) => l.kind === 'trail').map((l) => (l as { price: number }).price)).toEqual([20_400, 21_300, 21_700]);

    const b = harness();
    b.book.restore(replay(a.log));
    expect(b.book.levels('g1').leg1).toEqual({ level: 21_200, extreme: 21_700 });
    b.book.onQuote('AAPL', { last: 21_250 }, t(10));
    expect(b.sent).toEqual([]);
    b.book.onQuote('AAPL', { last: 21_200 }, t(11));
    expect(b.sent.map((c) => c.clientOrderId)).toEqual(['g1:leg1']);
  });

  it('a partial fill of the entry sizes the legs; an exit that triggers cancels the rest of the entry', () => {
    const { book, sent, cancels } = harness();
    book.place(seed());
    book.onQuote('AAPL', { last: 20_010 }, t(1));
    book.onChild('g1:entry', 5, null);
    book.onQuote('AAPL', { last: 22_000 }, t(2));
    expect(sent[1]).toEqual({ clientOrderId: 'g1:leg0', side: 'sell', quantity: 5, orderType: 'limit', price: 22_000 });
    expect(cancels).toEqual(['g1:entry']);
    // More of the entry filling after the exit fired arms nothing.
    book.onChild('g1:entry', 8, { how: 'canceled', reason: 'exit leg0 triggered' });
    book.onQuote('AAPL', { last: 18_000 }, t(3));
    expect(sent).toHaveLength(2);
  });

  it('a triggered child denied by risk ends the order with the reason; the other parts stop waiting', () => {
    const { book, sent } = harness();
    book.place(seed());
    book.onQuote('AAPL', { last: 20_100 }, t(1));
    expect(book.onChildDenied('g1:entry', DenyCode.MaxPosition, 'position 120 would pass the limit 100')).toBe(true);
    const r = book.get('g1')!;
    expect([r.status, r.reason]).toEqual(['Denied', 'max_position: position 120 would pass the limit 100']);
    expect(Object.values(r.parts).map((p) => p.status)).toEqual(['triggered', 'canceled', 'canceled']);
    // A duplicate (a resend after a restart) is not an ending.
    book.place(seed('g2'));
    book.onQuote('AAPL', { last: 20_200 }, t(2));
    book.onChildDenied('g2:entry', DenyCode.DuplicateClientOrderId, 'seen');
    expect(book.get('g2')!.status).toBe('Triggered');
    expect(sent).toHaveLength(2);
  });

  it('a kill-switch cancels pending and armed orders in its scope, and nothing waits for them after', () => {
    const { book, sent } = harness();
    book.place(seed('a'));
    book.place({ ...seed('b'), symbol: 'MSFT' });
    book.place({ id: 'oco', strategyId: 'mm', symbol: 'AAPL', side: 'buy', quantity: 3, entry: null, legs: [{ kind: 'limit_if_touched', triggerPrice: 21_000, limitPrice: 21_000, triggerOn: 'last' }, { kind: 'stop', triggerPrice: 19_000, triggerOn: 'last' }] });
    expect(book.get('oco')!.status).toBe('Armed');
    expect(book.cancelWhere((s) => s.symbol === 'AAPL', 'kill-switch: symbol AAPL').sort()).toEqual(['a', 'oco']);
    book.onQuote('AAPL', { last: 25_000 }, t(1));
    book.onQuote('AAPL', { last: 15_000 }, t(2));
    expect(sent).toEqual([]);
    expect(book.get('a')!.status).toBe('Canceled');
    expect(book.get('b')!.status).toBe('Pending');
    expect(book.cancel('a', 'again')).toMatchObject({ code: 'not_modifiable' });
  });

  it('modify moves a waiting level; a trailing part keeps its mark; an order that released something is not modified', () => {
    const { book, sent } = harness();
    const trail = { id: 't', strategyId: 's', symbol: 'AAPL', side: 'buy' as const, quantity: 2, entry: null, legs: [{ kind: 'trailing_stop' as const, trailing: { units: 100 }, triggerOn: 'last' as const }] };
    expect(book.place(trail)).toMatchObject({ code: 'no_reference_price' });
    book.onQuote('AAPL', { last: 20_000 }, t(1));
    expect(book.place(trail)).toBeNull();
    expect(book.place(trail)).toMatchObject({ code: 'duplicate_conditional_id' });
    book.onQuote('AAPL', { last: 20_400 }, t(2)); // the long's stop trails up to 20,300
    expect(book.modify('t', { legs: [{ kind: 'trailing_stop', trailing: { units: 200 }, triggerOn: 'last' }] })).toBeNull();
    expect(book.levels('t').leg0).toEqual({ level: 20_200, extreme: 20_400 });
    book.place({ id: 'p', strategyId: 's', symbol: 'AAPL', side: 'sell', quantity: 1, entry: { kind: 'stop', triggerPrice: 19_000, triggerOn: 'last' }, legs: [] });
    expect(book.modify('p', { entry: { kind: 'stop', triggerPrice: 19_500, triggerOn: 'last' } })).toBeNull();
    book.onQuote('AAPL', { last: 19_600 }, t(3));
    expect(sent.map((c) => c.clientOrderId)).toEqual(['t:leg0']);
    book.onQuote('AAPL', { last: 19_500 }, t(4));
    expect(sent.map((c) => c.clientOrderId)).toEqual(['t:leg0', 'p:entry']);
    expect(book.modify('p', { entry: { kind: 'stop', triggerPrice: 19_000, triggerOn: 'last' } })).toMatchObject({ code: 'not_modifiable' });
    expect(book.modify('nope', {})).toMatchObject({ code: 'unknown_conditional_order' });
  });
});
