import { describe, expect, it } from 'vitest';
import { Aggressor, TickKind } from '@hft/messages';
import { metric, replay, tmpFile } from './harness.js';

const T0 = 1772461800_000_000_000n;
const ns = (ms: number): string => String(T0 + BigInt(ms) * 1_000_000n);

describe('own CSV format', () => {
  it('publishes every tick with exact content, per-symbol gap-free sequence numbers and both timestamps', async () => {
    const file = tmpFile(
      'ticks.csv',
      [
        'ts,symbol,type,side,price,qty',
        `${ns(0)},AAPL,bid,,187.40,300`,
        `${ns(0)},AAPL,ask,,187.42,200`,
        `${ns(1)},MSFT,bid,,412.10,50`,
        `${ns(2)},AAPL,trade,buy,187.42,150`,
        `2026-03-02T14:30:00.003000001Z,AAPL,ask,,187.42,50`,
        `${ns(4)},MSFT,trade,,412.10,7`,
      ].join('\n') + '\n',
    );
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    const aapl = got.ticks.filter((t) => t.symbol === 'AAPL');
    expect(aapl.map((t) => t.seq)).toEqual([1, 2, 3, 4]);
    expect(got.ticks.filter((t) => t.symbol === 'MSFT').map((t) => t.seq)).toEqual([1, 2]);
    expect(aapl[2]).toMatchObject({ kind: TickKind.Trade, aggressor: Aggressor.Buyer, price: 187.42, priceUnits: 18742, qty: 150, tsEvent: T0 + 2_000_000n });
    expect(aapl[3]!.tsEvent).toBe(T0 + 3_000_001n);
    expect(got.ticks.find((t) => t.symbol === 'MSFT' && t.kind === TickKind.Trade)?.aggressor).toBe(Aggressor.Unknown);
    const lastAapl = got.books.filter((b) => b.symbol === 'AAPL').at(-1)!;
    expect(lastAapl.bids.map((l) => [l.price, l.qty])).toEqual([[187.4, 300]]);
    expect(lastAapl.asks.map((l) => [l.price, l.qty])).toEqual([[187.42, 50]]);
    expect(lastAapl.tsEvent).toBe(T0 + 3_000_001n);
    expect(lastAapl.tsPublish > lastAapl.tsEvent).toBe(true);
    expect(got.summary.ticks).toBe(6);
  });

  it('also publishes the trades alone on md.trade.<SYMBOL>, with the full stream\'s sequence numbers', async () => {
    const file = tmpFile(
      'trades.csv',
      ['ts,symbol,type,side,price,qty', `${ns(0)},AAPL,bid,,187.40,300`, `${ns(1)},AAPL,trade,buy,187.42,150`, `${ns(2)},AAPL,ask,,187.43,20`, `${ns(3)},AAPL,trade,sell,187.40,5`, `${ns(4)},MSFT,trade,,412.10,7`].join('\n') + '\n',
    );
    const got = await replay({ files: [{ path: file, format: 'auto' }], tradeTopic: true }, ['md.tick.', 'md.trade.', 'md.book.']);
    expect(got.ticks).toHaveLength(5);
    expect(got.trades.map((t) => [t.symbol, t.seq, t.kind, t.price, t.qty])).toEqual([
      ['AAPL', 2, TickKind.Trade, 187.42, 150],
      ['AAPL', 4, TickKind.Trade, 187.4, 5],
      ['MSFT', 1, TickKind.Trade, 412.1, 7],
    ]);
    const off = await replay({ files: [{ path: file, format: 'auto' }], tradeTopic: false }, ['md.tick.', 'md.trade.', 'md.book.']);
    expect(off.trades).toEqual([]);
  });

  it('merges several files by exchange time', async () => {
    const a = tmpFile('a.csv', ['ts,symbol,type,side,price,qty', ...[0, 2, 4, 6].map((ms) => `${ns(ms)},AAPL,trade,buy,187.40,${ms + 1}`)].join('\n'));
    const b = tmpFile('b.csv', ['symbol,ts,qty,price,side,type', ...[1, 3, 5].map((ms) => `AAPL,${ns(ms)},${ms + 1},187.41,sell,trade`)].join('\n'));
    const got = await replay({ files: [{ path: a, format: 'auto' }, { path: b, format: 'auto' }] }, ['md.tick.', 'md.book.'], undefined);
    // One symbol, so the per-symbol sequence shows the merged order.
    expect(got.ticks.map((t) => [t.seq, t.qty])).toEqual([1, 2, 3, 4, 5, 6, 7].map((q, i) => [i + 1, q]));
    expect(got.ticks.map((t) => t.tsEvent)).toEqual([...got.ticks.map((t) => t.tsEvent)].sort((x, y) => (x < y ? -1 : 1)));
  });

  it('filters by symbol and time window, and book snapshots follow level updates', async () => {
    const rows = ['ts,symbol,type,side,price,qty'];
    for (let i = 0; i < 10; i++) rows.push(`${ns(i * 1000)},AAPL,bid,,${(187 + i / 100).toFixed(2)},${i + 1}`, `${ns(i * 1000)},MSFT,bid,,412.00,${i + 1}`);
    const file = tmpFile('w.csv', rows.join('\n'));
    const got = await replay({ files: [{ path: file, format: 'hft' }], symbols: new Set(['AAPL']), from: { timeOfDaySec: 14 * 3600 + 30 * 60 + 3 }, to: { sec: 1772461806, nsec: 0 } });
    expect(got.ticks.map((t) => [t.symbol, t.qty])).toEqual([
      ['AAPL', 4],
      ['AAPL', 5],
      ['AAPL', 6],
      ['AAPL', 7],
    ]);
    const last = got.books.at(-1)!;
    expect(last.bids.map((l) => l.price)).toEqual([187.06, 187.05, 187.04, 187.03]);
  });

  it('samples books for consumers off the order path: fewer snapshots, the latest always last', async () => {
    const rows = ['ts,symbol,type,side,price,qty'];
    for (let i = 0; i < 2000; i++) rows.push(`${ns(i)},AAPL,bid,,${(187 + (i % 50) / 100).toFixed(2)},${i + 1}`);
    const got = await replay({ files: [{ path: tmpFile('sampled.csv', rows.join('\n')), format: 'hft' }], maxBatch: 1, sampledBookMs: 50 }, ['md.book.', 'md.book-sampled.']);
    const on = (topic: string) => got.books.filter((_, i) => got.bookTopics[i] === topic);
    const full = on('md.book.AAPL');
    const sampled = on('md.book-sampled.AAPL');
    expect(full).toHaveLength(2000);
    expect(sampled.length).toBeGreaterThan(0);
    expect(sampled.length).toBeLessThan(full.length);
    expect(sampled.at(-1)).toEqual(full.at(-1));
    expect(sampled.map((b) => b.seq)).toEqual([...sampled.map((b) => b.seq)].sort((a, b) => a - b));
    // Without an interval there is no sampled topic at all.
    const off = await replay({ files: [{ path: tmpFile('unsampled.csv', rows.slice(0, 10).join('\n')), format: 'hft' }] }, ['md.book-sampled.']);
    expect(off.books).toEqual([]);
  });

  it('reports, counts and skips every kind of bad row with its file and line, and keeps the good ones', async () => {
    const lines = [
      'ts,symbol,type,side,price,qty', // 1
      `${ns(0)},AAPL,trade,buy,187.40,10`, // 2 ok
      `${ns(1)},AAPL,trade,buy,187.40`, // 3 wrong column count
      `${ns(2)},AAPL,trade,buy,abc,10`, // 4 non-numeric price
      `${ns(3)},AAPL,bid,,187.40,5`, // 5 ok
      `${ns(1)},AAPL,trade,buy,187.40,10`, // 6 time backwards (behind the last accepted row)
      `${ns(4)},AAPL,bid,,187.40,-5`, // 7 negative qty
      `${ns(5)},AAPL,quote,,187.40,10`, // 8 unknown type
      '', // 9 empty line
      `${ns(6)},AAPL,bid,,187.405,10`, // 10 more decimals than the tick
      `yesterday,AAPL,bid,,187.40,10`, // 11 bad timestamp
      `${ns(7)},AAPL,bid,,0,10`, // 12 non-positive price
      `${ns(8)},AAPL,trade,buy,187.41,0`, // 13 zero trade
      `${ns(9)},AAPL,trade,"buy,187.41,3`, // 14 stray quote: one bad row, not the rest of the file
      `${ns(10)},AAPL,trade,sell,187.41,3`, // 15 ok
      `${ns(11)},ZZZZ,trade,buy,1.00,10`, // 16 unknown symbol
    ];
    const file = tmpFile('bad.csv', lines.join('\n') + '\n');
    const before = await metric('hft_md_bad_rows_total', { reason: 'time_backwards' });
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    expect(got.ticks.map((t) => t.qty)).toEqual([10, 5, 3]);
    expect(got.ticks.map((t) => t.seq)).toEqual([1, 2, 3]);
    const reported = got.logLines.filter((l) => l['msg'] && String(l['msg']).includes('row skipped')).map((l) => [l['line'], l['reason']]);
    expect(reported).toEqual([
      [3, 'wrong_column_count'],
      [4, 'non_numeric_price'],
      [6, 'time_backwards'],
      [7, 'negative_qty'],
      [8, 'unknown_type'],
      [9, 'wrong_column_count'],
      [10, 'off_tick'],
      [11, 'bad_timestamp'],
      [12, 'non_positive_price'],
      [13, 'zero_trade_qty'],
      [14, 'unknown_side'],
      [16, 'unknown_symbol'],
    ]);
    expect(got.logLines.find((l) => l['line'] === 6)?.['file']).toBe(file);
    expect(got.summary.badRows).toBe(12);
    expect(await metric('hft_md_bad_rows_total', { reason: 'time_backwards' })).toBe(before + 1);
  });

  it('names the fault: a bad side, an off-tick price, an off-lot or huge qty; quotes at most a short prefix of a 10 MB value', async () => {
    const huge = '9'.repeat(10_000_000);
    const lines = [
      'ts,symbol,type,side,price,qty',
      `${ns(0)},AAPL,trade,sideways,187.40,10`,
      `${ns(1)},AAPL,bid,,187.405,10`,
      `${ns(2)},AAPL,bid,,187.40,1.5`,
      `${ns(3)},AAPL,bid,,${huge},10`,
      `${ns(4)},AAPL,bid,,x${huge},10`,
    ];
    const got = await replay({ files: [{ path: tmpFile('faults.csv', lines.join('\n') + '\n'), format: 'auto' }] });
    const skipped = got.logLines.filter((l) => String(l['msg'] ?? '').includes('row skipped'));
    expect(skipped.map((l) => [l['line'], l['reason'], l['detail']])).toEqual([
      [2, 'unknown_side', 'side "sideways" is not buy|sell|empty'],
      [3, 'off_tick', 'price "187.405" has more than 2 decimals (the AAPL tick is 0.01)'],
      [4, 'off_lot', 'qty "1.5" has more than 0 decimals (the AAPL lot is 1)'],
      [5, 'out_of_range', `price "${'9'.repeat(40)}"... (10000000 characters) is out of range`],
      [6, 'non_numeric_price', `price "x${'9'.repeat(39)}"... (10000001 characters) is not a number`],
    ]);
    // Every warning stays one short, valid JSON log line.
    for (const l of skipped) expect(JSON.stringify(l).length).toBeLessThan(1000);
  });

  it('aborts on the first bad row with --strict, naming file and line', async () => {
    const file = tmpFile('strict.csv', ['ts,symbol,type,side,price,qty', `${ns(0)},AAPL,trade,buy,187.40,10`, `${ns(1)},AAPL,trade,buy,x,10`].join('\n'));
    await expect(replay({ files: [{ path: file, format: 'auto' }], strict: true })).rejects.toThrow(`${file}:3: non_numeric_price: price "x" is not a number`);
  });

  it('refuses a missing, an empty and an unrecognisable file before sending anything', async () => {
    await expect(replay({ files: [{ path: '/nonexistent/ticks.csv', format: 'auto' }] })).rejects.toThrow('tick file not found: /nonexistent/ticks.csv');
    const empty = tmpFile('empty.csv', '');
    await expect(replay({ files: [{ path: empty, format: 'auto' }] })).rejects.toThrow(`tick file is empty: ${empty}`);
    const blank = tmpFile('blank.csv', '\n\n');
    await expect(replay({ files: [{ path: blank, format: 'auto' }] })).rejects.toThrow(/tick file is empty/);
    const odd = tmpFile('odd.csv', 'when,what\n1,2\n');
    await expect(replay({ files: [{ path: odd, format: 'auto' }] })).rejects.toThrow(/cannot tell the format of .*odd.csv.*--format/);
  });
});
