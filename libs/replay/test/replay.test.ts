import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { TickKind } from '@hft/messages';
import { L2Books, ReplayInstruments, TickMerger, TickSource, type BadRow, type RawTick } from '../src/index.js';

const root = workspaceRoot();
const instruments = new ReplayInstruments(InstrumentRegistry.fromConfig(loadConfig({ path: join(root, 'config', 'platform.toml'), env: {} })));

async function readAll(m: TickMerger): Promise<RawTick[]> {
  const out: RawTick[] = [];
  for (;;) {
    const t = m.take();
    if (t) out.push(t);
    else if (!(await m.refill())) return out;
  }
}

describe('replay library', () => {
  it('merges the sample files by time and rebuilds the books they describe', async () => {
    const bad: BadRow[] = [];
    const sources = [
      new TickSource({ path: join(root, 'data', 'market_data.csv'), format: 'auto' }, instruments, { strict: false, onBadRow: (b) => bad.push(b) }),
      new TickSource({ path: join(root, 'data', 'btc.csv'), format: 'binance-trades', symbol: 'BTC-USDT' }, instruments, { strict: false, onBadRow: (b) => bad.push(b) }),
    ];
    expect(sources.map((s) => s.format)).toEqual(['hft', 'binance-trades']);
    const ticks = await readAll(new TickMerger(sources));
    expect(bad).toEqual([]);
    expect(ticks.length).toBe(67_037 + 6_647);
    for (let i = 1; i < ticks.length; i++) {
      const a = ticks[i - 1]!;
      const b = ticks[i]!;
      expect(a.sec < b.sec || (a.sec === b.sec && a.nsec <= b.nsec)).toBe(true);
    }
    const books = new L2Books(instruments.list, 10);
    for (const t of ticks) books.update(t);
    books.apply();
    const aapl = books.snapshot(instruments.indexOf('AAPL')!, 1, 0n, 0n);
    expect(aapl.bids.length).toBeGreaterThan(0);
    expect(aapl.asks.length).toBeGreaterThan(0);
    expect(aapl.bids[0]!.price).toBeLessThan(aapl.asks[0]!.price);
    expect(aapl.bids.map((l) => l.price)).toEqual([...aapl.bids.map((l) => l.price)].sort((x, y) => y - x));
    expect(ticks.filter((t) => t.kind === TickKind.Trade && t.sym === instruments.indexOf('BTC-USDT')).length).toBe(6_647);
  });
});
