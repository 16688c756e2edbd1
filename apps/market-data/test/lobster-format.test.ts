import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

  it('refuses messages about orders it never saw', async () => {
    const file = tmpFile(`${stem}_message_1.csv`, ['34200.1,1,7,100,1874000,1', '34200.2,3,8,100,1874000,1', '34200.3,4,7,50,1874000,1'].join('\n'));
    const got = await replay({ files: [{ path: file, format: 'auto' }] });
    expect(got.summary.badRowsByReason).toEqual({ unknown_order: 1 });
    expect(got.books.at(-1)!.bids).toEqual([{ priceUnits: 18740, qtyUnits: 50, price: 187.4, qty: 50 }]);
  });
});
