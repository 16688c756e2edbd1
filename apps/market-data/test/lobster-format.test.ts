import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '@hft/config';
import { describe, expect, it } from 'vitest';
import { TickKind } from '@hft/messages';
import { replay, tmpFile } from './harness.js';

const dir = join(workspaceRoot(), 'data', 'lobster');
const stem = 'AAPL_2026-03-02_34200000_34260000';

describe('LOBSTER message files', () => {
  it('rebuild the book exactly: the published snapshot after every book-changing message equals the expected top 5', async () => {
    const messages = readFileSync(join(dir, `${stem}_message_5.csv`), 'utf8').trim().split('\n').map((l) => l.split(','));
    const expected = readFileSync(join(dir, `${stem}_orderbook_5.csv`), 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
    const got = await replay({ files: [{ path: join(dir, `${stem}_message_5.csv`), format: 'auto' }], bookSnapshots: 'every', maxBatch: 256 });
    expect(got.summary.badRows).toBe(0);
    // Types 1-4 change the visible book (one snapshot each); 5-7 do not.
    const changing = messages.map((m, i) => [Number(m[1]), i] as const).filter(([type]) => type <= 4);
    expect(got.books).toHaveLength(changing.length);
    changing.forEach(([, i], k) => {
      const snap = got.books[k]!;
      const row = expected[i]!;
      const top = (side: 'asks' | 'bids'): number[] =>
        Array.from({ length: 5 }, (_, lvl) => {
          const l = snap[side][lvl];
          return l ? [l.priceUnits * 100, l.qtyUnits] : side === 'asks' ? [9999999999, 0] : [-9999999999, 0];
        }).flat();
      const asks = top('asks');
      const bids = top('bids');
      const interleaved = Array.from({ length: 5 }, (_, lvl) => [asks[2 * lvl], asks[2 * lvl + 1], bids[2 * lvl], bids[2 * lvl + 1]]).flat();
      expect(interleaved, `message ${i + 1}`).toEqual(row);
    });
    expect(got.books.map((b) => b.seq)).toEqual(got.books.map((_, k) => k + 1));
    // Executions (types 4 and 5) are trades; New York 09:30 on 2026-03-02 is 14:30 UTC.
    const trades = got.ticks.filter((t) => t.kind === TickKind.Trade);
    expect(trades).toHaveLength(messages.filter((m) => m[1] === '4' || m[1] === '5').length);
    const first = messages[0]![0]!;
    expect(got.ticks[0]!.tsEvent).toBe(1772461800_000_000_000n + BigInt(Math.round((Number(first) - 34200) * 1e9)));
  });

  it('starts mid-session from the orderbook file beside it and reproduces that file row by row', async () => {
    // A real LOBSTER file starts mid-session: cut the sample's first 1,000 messages (and their rows).
    const cut = 1000;
    const messages = readFileSync(join(dir, `${stem}_message_5.csv`), 'utf8').trim().split('\n').slice(cut);
    const rows = readFileSync(join(dir, `${stem}_orderbook_5.csv`), 'utf8').trim().split('\n').slice(cut);
    const file = tmpFile(`${stem}_message_5.csv`, messages.join('\n') + '\n');
    writeFileSync(join(dirname(file), `${stem}_orderbook_5.csv`), rows.join('\n') + '\n');
    const ids = new Set(messages.filter((m) => m.split(',')[1] === '1').map((m) => m.split(',')[2]));
    expect(messages.some((m) => m.split(',')[1] !== '1' && !ids.has(m.split(',')[2]))).toBe(true);
    const got = await replay({ files: [{ path: file, format: 'auto' }], bookSnapshots: 'every', maxBatch: 256 });
    expect(got.summary.badRowsByReason).toEqual({});
    // One snapshot per message that moves a level (types 1-4, and the first, which sets the book up).
    const changing = messages.map((m, i) => [Number(m.split(',')[1]), i] as const).filter(([type, i]) => type <= 4 || i === 0);
    expect(got.books).toHaveLength(changing.length);
    let matched = 0;
    changing.forEach(([, i], k) => {
      const snap = got.books[k]!;
      const level = (side: 'asks' | 'bids', lvl: number): number[] => {
        const l = snap[side][lvl];
        return l ? [l.priceUnits * 100, l.qtyUnits] : side === 'asks' ? [9999999999, 0] : [-9999999999, 0];
      };
      const ours = Array.from({ length: 5 }, (_, lvl) => [...level('asks', lvl), ...level('bids', lvl)]).flat();
      expect(ours, `message ${cut + i + 1}`).toEqual(rows[i]!.split(',').map(Number));
      matched++;
    });
    expect(matched).toBe(changing.length);
    // Executions of orders placed before the file began are trades all the same.
    expect(got.ticks.filter((t) => t.kind === TickKind.Trade)).toHaveLength(messages.filter((m) => ['4', '5'].includes(m.split(',')[1]!)).length);
  });

  it('takes the orderbook file from --lobster-orderbook and says when it runs out before the messages', async () => {
    const messages = readFileSync(join(dir, `${stem}_message_5.csv`), 'utf8').trim().split('\n').slice(500, 600);
    const rows = readFileSync(join(dir, `${stem}_orderbook_5.csv`), 'utf8').trim().split('\n').slice(500, 590);
    const file = tmpFile(`${stem}_message_5.csv`, messages.join('\n') + '\n');
    const book = tmpFile('book-elsewhere.csv', rows.join('\n') + '\n');
    const got = await replay({ files: [{ path: file, format: 'auto', orderbook: book }] });
    expect(got.summary.badRowsByReason).toEqual({ book_mismatch: 10 });
    expect(got.logLines.find((l) => l['reason'] === 'book_mismatch')?.['detail']).toBe(`the orderbook file ${book} ends before the message file`);
  });

  it('refuses messages about orders it never saw', async () => {
    const file = tmpFile(`${stem}_message_1.csv`, ['34200.1,1,7,100,1874000,1', '34200.2,3,8,100,1874000,1', '34200.3,4,7,50,1874000,1'].join('\n'));
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    expect(got.summary.badRowsByReason).toEqual({ unknown_order: 1 });
    expect(got.books.at(-1)!.bids).toEqual([{ priceUnits: 18740, qtyUnits: 50, price: 187.4, qty: 50 }]);
  });
});
