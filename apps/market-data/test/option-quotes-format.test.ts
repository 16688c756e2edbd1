import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from '@hft/config';
import { Aggressor, TickKind } from '@hft/messages';
import { metric, replay, tmpFile } from './harness.js';

const T0 = 1772461800_000_000_000n;
const ns = (ms: number): string => String(T0 + BigInt(ms) * 1_000_000n);
const HEADER = 'ts,underlying,expiry,strike,right,bid,bid_size,ask,ask_size,last,last_size,open_interest';

describe('option quotes format', () => {
  it('turns each contract row into level changes, a trade with its aggressor and an open-interest tick', async () => {
    const file = tmpFile(
      'options.csv',
      [
        HEADER,
        `${ns(0)},AAPL,2026-03-06,187.5,C,2.13,68,2.20,122,,,4482`,
        `${ns(1)},AAPL,2026-03-06,187.5,C,2.13,40,2.20,122,,,4482`, // bid size only; OI unchanged: no OI tick
        `${ns(2)},AAPL,2026-03-06,187.5,C,2.11,46,2.18,22,2.18,5,`, // both sides move, a trade at the ask
        `${ns(3)},AAPL,2026-03-06,187.50,call,,,2.18,22,,,4487`, // the bid is gone; OI rose
        `${ns(4)},AAPL,2026-03-20,140,P,,,0.03,388,,,120`,
      ].join('\n') + '\n',
    );
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    expect(got.summary.badRows).toBe(0);
    const c = got.ticks.filter((t) => t.symbol === 'AAPL260306C187.5');
    expect(c.map((t) => [t.seq, t.kind, t.price, t.qty])).toEqual([
      [1, TickKind.Bid, 2.13, 68],
      [2, TickKind.Ask, 2.2, 122],
      [3, TickKind.OpenInterest, 0, 4482],
      [4, TickKind.Bid, 2.13, 40],
      [5, TickKind.Bid, 2.13, 0],
      [6, TickKind.Bid, 2.11, 46],
      [7, TickKind.Ask, 2.2, 0],
      [8, TickKind.Ask, 2.18, 22],
      [9, TickKind.Trade, 2.18, 5],
      [10, TickKind.Bid, 2.11, 0],
      [11, TickKind.OpenInterest, 0, 4487],
    ]);
    expect(c[8]!.aggressor).toBe(Aggressor.Buyer);
    const books = got.books.filter((b) => b.symbol === 'AAPL260306C187.5');
    expect(books.at(-1)!.bids).toEqual([]);
    expect(books.at(-1)!.asks.map((l) => [l.price, l.qty])).toEqual([[2.18, 22]]);
    expect(got.ticks.filter((t) => t.symbol === 'AAPL260320P140').map((t) => t.kind)).toEqual([TickKind.Ask, TickKind.OpenInterest]);
  });

  it('refuses a row that names no configured contract or breaks a rule, and changes nothing for it', async () => {
    const before = await metric('hft_md_bad_rows_total', { reason: 'unknown_contract' });
    const file = tmpFile(
      'bad-options.csv',
      [
        HEADER,
        `${ns(0)},AAPL,2026-03-06,187.5,C,2.13,68,2.20,122,,,4482`,
        `${ns(1)},AAPL,2026-03-06,188,C,2.13,68,2.20,122,,,`, // no 188 strike (the grid is 2.5)
        `${ns(2)},AAPL,2026-03-13,187.5,C,2.13,68,2.20,122,,,`, // no such expiry
        `${ns(3)},MSFT,2026-03-06,400,C,2.13,68,2.20,122,,,`, // no MSFT chain
        `${ns(4)},AAPL,2026-03-06,187.5,X,2.13,68,2.20,122,,,`,
        `${ns(5)},AAPL,2026-03-06,187.5,C,2.25,10,2.20,122,,,`, // crossed
        `${ns(6)},AAPL,2026-03-06,187.5,C,2.005,10,2.20,122,,,`, // off tick
        `${ns(7)},AAPL,2026-03-06,187.5,C,1.00,10,2.20,122,2.10,,`, // last without size
        `${ns(8)},AAPL,2026-03-06,187.5,C,1.00,10,2.20,122,,,-3`,
        `${ns(9)},AAPL,2026-03-06,187.5,C,2.13,68,2.20,122,,,4482`, // unchanged: nothing to publish
      ].join('\n') + '\n',
    );
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    expect(got.summary.badRows).toBe(8);
    expect(await metric('hft_md_bad_rows_total', { reason: 'unknown_contract' })).toBe(before + 4);
    expect(await metric('hft_md_bad_rows_total', { reason: 'crossed_quote' })).toBeGreaterThanOrEqual(1);
    const warned = got.logLines.filter((l) => l['reason']).map((l) => `${String(l['line'])} ${String(l['reason'])}: ${String(l['detail'])}`);
    expect(warned).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3 unknown_contract: AAPL "2026-03-06" 188 call is not a configured contract$/),
        expect.stringMatching(/^5 unknown_contract: no option on "MSFT" is configured/),
        expect.stringMatching(/^6 unknown_contract: right "X" is not C\|P\|call\|put$/),
        expect.stringMatching(/^7 crossed_quote: bid 2.25 is not below ask 2.20$/),
        expect.stringMatching(/^8 off_tick: bid: /),
        expect.stringMatching(/^9 zero_trade_qty: a trade needs both last and last_size/),
        expect.stringMatching(/^10 negative_qty: open_interest: /),
      ]),
    );
    // Only the first row's ticks: the refused rows and the unchanged last row publish nothing.
    expect(got.ticks.map((t) => t.kind)).toEqual([TickKind.Bid, TickKind.Ask, TickKind.OpenInterest]);
  });

  it('replays the sample chain with no bad row beside its underlying', async () => {
    const root = workspaceRoot();
    const got = await replay({ files: [{ path: join(root, 'data', 'aapl_options.csv'), format: 'auto' }, { path: join(root, 'data', 'market_data.csv'), format: 'auto' }] });
    expect(got.summary.badRows).toBe(0);
    const contracts = new Set(got.ticks.filter((t) => /^AAPL\d{6}[CP]/.test(t.symbol)).map((t) => t.symbol));
    expect(contracts.size).toBe(160);
    const oi = got.ticks.filter((t) => t.kind === TickKind.OpenInterest);
    expect(new Set(oi.map((t) => t.symbol)).size).toBe(160);
    expect(got.ticks.filter((t) => t.symbol === 'AAPL').length).toBeGreaterThan(1000);
    for (const b of got.books.filter((x) => x.bids.length && x.asks.length)) expect(b.bids[0]!.price).toBeLessThan(b.asks[0]!.price);
  }, 60_000);
});
