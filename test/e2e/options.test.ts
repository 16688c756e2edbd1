// The options desk end to end: the sample chain, its underlying and the volatility index replayed
// through market-data at 10x into seven real daemons. The quant's reads (the REST chain, the SSE greeks
// stream with its instrument filter), the risk officer's greek limits (a strategy that wants too much
// delta is denied) and the delta hedger keeping its book inside its band, all checked from outside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, until, type TestPlatform } from '@hft/testing';

const OPTION = 'AAPL260320C190';
const OTHER = 'AAPL260306P180';
let P: TestPlatform;
let dana: string;

beforeAll(async () => {
  P = await startTestPlatform({
    speed: '10',
    files: ['data/market_data.csv', 'data/aapl_options.csv', 'data/vix.csv'],
    env: {
      // The shipped hedger, and a second one that wants 1,000 calls: -41,000 shares of delta against a
      // strategy limit of 20,000.
      HFT__STRATEGY__ENABLED: '["hedge_aapl", "greedy_aapl"]',
      HFT__STRATEGY__PARAMS__GREEDY_AAPL__KIND: '"delta_hedger"',
      HFT__STRATEGY__PARAMS__GREEDY_AAPL__SYMBOL: '"AAPL"',
      HFT__STRATEGY__PARAMS__GREEDY_AAPL__OPTION: `"${OPTION}"`,
      HFT__STRATEGY__PARAMS__GREEDY_AAPL__OPTION_QTY: '-1000',
      HFT__STRATEGY__PARAMS__GREEDY_AAPL__BAND: '50',
    },
  });
  dana = await P.login('dana');
}, 180_000);
afterAll(async () => {
  await P?.stop();
}, 60_000);

const get = (path: string): Promise<Response> => fetch(P.url('monitoring', path), { headers: { authorization: `Bearer ${dana}` } });

interface HedgerStatus {
  id: string;
  positions: { symbol: string; qty: number }[];
  openOrders: unknown[];
  stats: Record<string, number>;
}
const strategies = async (): Promise<HedgerStatus[]> => (await (await fetch(P.url('strategy', '/api/strategies'))).json()) as HedgerStatus[];
const qty = (s: HedgerStatus, symbol: string): number => s.positions.find((p) => p.symbol === symbol)?.qty ?? 0;

/** Read an SSE stream for `ms` (or until `enough` events), returning the events' parsed data. */
async function readSse(path: string, ms: number, enough: number): Promise<{ event: string; data: { symbol: string } }[]> {
  const ac = new AbortController();
  const res = await fetch(P.url('monitoring', path), { headers: { authorization: `Bearer ${dana}` }, signal: ac.signal });
  expect(res.status).toBe(200);
  const out: { event: string; data: { symbol: string } }[] = [];
  const reader = res.body!.getReader();
  const timer = setTimeout(() => ac.abort(), ms);
  let buf = '';
  try {
    while (out.length < enough) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += Buffer.from(value).toString('utf8');
      let end: number;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) out.push({ event, data: JSON.parse(data) as { symbol: string } });
      }
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return out;
}

describe('options end to end: chain replay, reads, greek limits, the delta hedger', () => {
  it('serves the chain over REST, one expiry or all, with the VIX-divergence signal, and refuses what is not there', async () => {
    const chain = await until(async () => {
      const r = await get('/api/v1/options/chain/AAPL?expiry=2026-03-20');
      if (!r.ok) return undefined;
      const c = (await r.json()) as { underlying: string; spot: number; expiries: { expiry: string; strikes: { strike: number; call: { symbol: string; iv: number | null } }[] }[]; volIndex: { index: string; signal: string } | null };
      // The first snapshots can come before the ATM call's first quote (no IV yet): wait for one that values it.
      const iv = c.expiries[0]?.strikes.find((k) => k.strike === 190)?.call.iv;
      return iv !== null && iv !== undefined ? c : undefined;
    }, 'a chain snapshot at monitoring that values the ATM call', 60_000);
    expect(chain.underlying).toBe('AAPL');
    expect(chain.spot).toBeGreaterThan(180);
    expect(chain.expiries.map((e) => e.expiry)).toEqual(['2026-03-20']);
    expect(chain.expiries[0]!.strikes).toHaveLength(40);
    const atm = chain.expiries[0]!.strikes.find((k) => k.strike === 190)!;
    expect(atm.call.symbol).toBe(OPTION);
    expect(atm.call.iv!).toBeGreaterThan(0.15);
    expect(chain.volIndex).toMatchObject({ index: 'VIX' });
    const all = (await (await get('/api/v1/options/chain/AAPL')).json()) as { expiries: unknown[] };
    expect(all.expiries).toHaveLength(2);
    const wrong = await get('/api/v1/options/chain/AAPL?expiry=2026-03-13');
    expect(wrong.status).toBe(404);
    expect(await wrong.text()).toContain('2026-03-13');
    const greeks = (await (await get(`/api/v1/market/greeks/${OPTION}`)).json()) as { symbol: string; greeks: { delta: number } };
    expect(greeks.symbol).toBe(OPTION);
    expect(greeks.greeks.delta).toBeGreaterThan(0.2);
    expect(greeks.greeks.delta).toBeLessThan(0.8);
  }, 90_000);

  it('streams greeks over SSE for the instruments asked for, and only those', async () => {
    const events = await readSse(`/api/stream/greeks?instruments=${OPTION},${OTHER}`, 20_000, 6);
    expect(events.length).toBeGreaterThanOrEqual(4);
    expect(new Set(events.map((e) => e.event))).toEqual(new Set(['greeks']));
    expect(new Set(events.map((e) => e.data.symbol))).toEqual(new Set([OPTION, OTHER]));
  }, 30_000);

  it('denies the strategy whose option order would break its delta limit, with the values compared', async () => {
    await until(async () => ((await P.metric('strategy', 'hft_strategy_denials_total', { strategy: 'greedy_aapl', check: 'max_delta' })) >= 1 ? true : undefined), 'a max_delta denial of greedy_aapl', 60_000);
    expect(await P.metric('risk', 'hft_risk_denials_total', { check: 'max_delta' })).toBeGreaterThanOrEqual(1);
    const greedy = (await strategies()).find((s) => s.id === 'greedy_aapl')!;
    expect(qty(greedy, OPTION)).toBe(0);
  }, 90_000);

  it('keeps the hedger delta-neutral: short 5 calls, long about 5 x 100 x delta shares, inside its band', async () => {
    // The replay ends (300 s of data at 10x); the last snapshot's hedge, if any, settles.
    await until(async () => ((await P.metric('market-data', 'hft_md_replay_running')) === 0 ? true : undefined), 'the end of the replay', 120_000);
    const hedger = await until(async () => {
      const s = (await strategies()).find((x) => x.id === 'hedge_aapl')!;
      return s.openOrders.length === 0 && qty(s, OPTION) === -5 && Math.abs(s.stats['delta']!) <= s.stats['band']! ? s : undefined;
    }, 'the hedger settled inside its band', 30_000);
    const st = hedger.stats;
    expect(st['snapshots']!).toBeGreaterThan(100);
    expect(st['hedges']!).toBeGreaterThanOrEqual(1);
    expect(qty(hedger, 'AAPL')).toBeGreaterThan(100);
    // The delta it reports is its positions at the last snapshot's delta.
    expect(qty(hedger, 'AAPL') - 500 * st['option_delta']!).toBeCloseTo(st['delta']!, 6);
    expect(await P.metric('strategy', 'hft_strategy_signals_total', { strategy: 'hedge_aapl', signal: 'hedge' })).toBe(st['hedges']);
  }, 180_000);
});
