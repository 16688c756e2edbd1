import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { workspaceRoot } from '@hft/config';
import { Aggressor, TickKind, type BookSnapshot } from '@hft/messages';
import { describe, expect, it } from 'vitest';
import { metric, replay, tmpFile } from './harness.js';

const SAMPLE = join(workspaceRoot(), 'data', 'itch', '03022026.NASDAQ_ITCH50');
// New York midnight of 2026-03-02 (EST, UTC-5): ITCH timestamps count from it.
const MIDNIGHT_NS = 1772427600n * 1_000_000_000n;
const FOLLOWED = new Set(['AAPL', 'MSFT', 'NVDA']);

interface Trade {
  symbol: string;
  ts: bigint;
  price: number;
  qty: number;
  aggressor: number;
}

/**
 * An independent ITCH 5.0 reader for the test: DataView over the spec's byte layouts, orders by
 * reference, levels per stock, and the top 10 after every message that moves a level of a followed stock.
 */
function rebuild(buf: Buffer): { snapshots: { symbol: string; bids: number[][]; asks: number[][] }[]; trades: Trade[]; messages: number } {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const names = new Map<number, string>();
  const orders = new Map<bigint, { symbol: string; buy: boolean; price: number; shares: number }>();
  const levels = new Map<string, { bids: Map<number, number>; asks: Map<number, number> }>();
  const snapshots: { symbol: string; bids: number[][]; asks: number[][] }[] = [];
  const trades: Trade[] = [];
  const side = (symbol: string, buy: boolean): Map<number, number> => {
    let l = levels.get(symbol);
    if (!l) levels.set(symbol, (l = { bids: new Map(), asks: new Map() }));
    return buy ? l.bids : l.asks;
  };
  const move = (symbol: string, buy: boolean, price: number, delta: number): void => {
    const m = side(symbol, buy);
    const q = (m.get(price) ?? 0) + delta;
    if (q === 0) m.delete(price);
    else m.set(price, q);
  };
  const top = (symbol: string): void => {
    const l = levels.get(symbol)!;
    const sorted = (m: Map<number, number>, desc: boolean): number[][] => [...m].sort((a, b) => (desc ? b[0] - a[0] : a[0] - b[0])).slice(0, 10);
    snapshots.push({ symbol, bids: sorted(l.bids, true), asks: sorted(l.asks, false) });
  };
  const stock = (at: number): string => buf.toString('latin1', at, at + 8).trimEnd();
  let at = 0;
  let messages = 0;
  while (at < buf.length) {
    const len = v.getUint16(at);
    const m = at + 2;
    at += 2 + len;
    messages++;
    const type = String.fromCharCode(buf[m]!);
    const locate = v.getUint16(m + 1);
    const ts = (BigInt(v.getUint16(m + 5)) << 32n) | BigInt(v.getUint32(m + 7));
    if (type === 'R') names.set(locate, stock(m + 11));
    const symbol = names.get(locate) ?? '';
    if (!FOLLOWED.has(symbol)) continue;
    const px = (o: number): number => v.getUint32(o) / 10_000;
    const print = (price: number, qty: number, aggressor: number): void => void trades.push({ symbol, ts: MIDNIGHT_NS + ts, price, qty, aggressor });
    switch (type) {
      case 'A':
      case 'F': {
        const o = { symbol, buy: buf[m + 19] === 0x42, shares: v.getUint32(m + 20), price: px(m + 32) };
        orders.set(v.getBigUint64(m + 11), o);
        move(symbol, o.buy, o.price, o.shares);
        top(symbol);
        break;
      }
      case 'E':
      case 'C': {
        const o = orders.get(v.getBigUint64(m + 11))!;
        const n = v.getUint32(m + 19);
        if (type === 'E') print(o.price, n, o.buy ? Aggressor.Seller : Aggressor.Buyer);
        else if (buf[m + 31] === 0x59) print(px(m + 32), n, o.buy ? Aggressor.Seller : Aggressor.Buyer);
        o.shares -= n;
        move(symbol, o.buy, o.price, -n);
        top(symbol);
        break;
      }
      case 'X': {
        const o = orders.get(v.getBigUint64(m + 11))!;
        const n = v.getUint32(m + 19);
        o.shares -= n;
        move(symbol, o.buy, o.price, -n);
        top(symbol);
        break;
      }
      case 'D': {
        const ref = v.getBigUint64(m + 11);
        const o = orders.get(ref)!;
        orders.delete(ref);
        move(symbol, o.buy, o.price, -o.shares);
        top(symbol);
        break;
      }
      case 'U': {
        const old = v.getBigUint64(m + 11);
        const o = orders.get(old)!;
        orders.delete(old);
        move(symbol, o.buy, o.price, -o.shares);
        const n = { ...o, shares: v.getUint32(m + 27), price: px(m + 31) };
        orders.set(v.getBigUint64(m + 19), n);
        move(symbol, n.buy, n.price, n.shares);
        top(symbol);
        break;
      }
      case 'P':
        print(px(m + 32), v.getUint32(m + 20), buf[m + 19] === 0x42 ? Aggressor.Seller : Aggressor.Buyer);
        break;
      case 'Q': {
        const n = Number(v.getBigUint64(m + 11));
        if (n > 0) print(px(m + 27), n, Aggressor.Unknown);
        break;
      }
    }
  }
  return { snapshots, trades, messages };
}

const levelsOf = (b: BookSnapshot, side: 'bids' | 'asks'): number[][] => b[side].map((l) => [l.priceUnits / 100, l.qtyUnits]);

describe('NASDAQ TotalView-ITCH 5.0 files', () => {
  it('publish the book after every message exactly as an independent rebuild of the sample, and its trades', async () => {
    const file = readFileSync(SAMPLE);
    const want = rebuild(file);
    const got = await replay({ files: [{ path: SAMPLE, format: 'auto' }], bookSnapshots: 'every', maxBatch: 256 });
    expect(got.summary.badRows).toBe(0);
    expect(want.snapshots.length).toBeGreaterThan(4000);
    expect(got.books).toHaveLength(want.snapshots.length);
    // Per symbol, in order: snapshot k of a symbol is the book after its k-th book-changing message.
    for (const symbol of FOLLOWED) {
      const ours = got.books.filter((b) => b.symbol === symbol);
      const theirs = want.snapshots.filter((s) => s.symbol === symbol);
      expect(ours.length, symbol).toBe(theirs.length);
      ours.forEach((b, k) => {
        expect({ bids: levelsOf(b, 'bids'), asks: levelsOf(b, 'asks') }, `${symbol} snapshot ${k + 1}`).toEqual({ bids: theirs[k]!.bids, asks: theirs[k]!.asks });
        expect(b.seq).toBe(k + 1);
      });
    }
    // Trades: executions (printable), non-displayed trades and crosses, with the aggressor of the resting side.
    const trades = got.ticks.filter((t) => t.kind === TickKind.Trade);
    // Frames are per symbol, so the order across symbols is the subscriber's; within one it is the file's.
    for (const symbol of FOLLOWED) {
      expect(trades.filter((t) => t.symbol === symbol).map((t) => ({ symbol: t.symbol, ts: t.tsEvent, price: t.priceUnits / 100, qty: t.qtyUnits, aggressor: t.aggressor }))).toEqual(
        want.trades.filter((t) => t.symbol === symbol),
      );
    }
    // ZVZZT is in the file but not in the config: none of it is published.
    expect(new Set(got.ticks.map((t) => t.symbol))).toEqual(FOLLOWED);
    // The exchange's own events were counted: system events, trading actions, broken trades.
    expect(await metric('hft_md_venue_events_total', { event: 'broken_trade' })).toBeGreaterThanOrEqual(1);
    expect(await metric('hft_md_venue_events_total', { event: 'system_Q' })).toBeGreaterThanOrEqual(1);
    expect(await metric('hft_md_trading_state', { symbol: 'NVDA' })).toBe('T'.charCodeAt(0));
    expect(got.logLines.some((l) => String(l.msg).includes('NVDA: trading state P'))).toBe(true);
  });

  it('honour the symbol filter and the time window, and read a gzipped file the same', async () => {
    const gz = tmpFile('03022026.NASDAQ_ITCH50.gz', '');
    writeFileSync(gz, gzipSync(readFileSync(SAMPLE)));
    const from = { sec: 1772461800 + 10, nsec: 0 };
    const to = { sec: 1772461800 + 20, nsec: 0 };
    const plain = await replay({ files: [{ path: SAMPLE, format: 'auto' }], symbols: new Set(['MSFT']), from, to });
    const zipped = await replay({ files: [{ path: gz, format: 'auto' }], symbols: new Set(['MSFT']), from, to });
    expect(plain.ticks.length).toBeGreaterThan(100);
    expect(new Set(plain.ticks.map((t) => t.symbol))).toEqual(new Set(['MSFT']));
    for (const t of plain.ticks) {
      expect(t.tsEvent >= 1772461810_000_000_000n && t.tsEvent < 1772461820_000_000_000n).toBe(true);
    }
    expect(zipped.ticks.map((t) => [t.tsEvent, t.kind, t.priceUnits, t.qtyUnits])).toEqual(plain.ticks.map((t) => [t.tsEvent, t.kind, t.priceUnits, t.qtyUnits]));
  });

  it('report malformed and unknown messages with their byte offset and go on with the next one', async () => {
    const sample = readFileSync(SAMPLE);
    // Message 3 (a stock directory) gets an unknown type; then a frame whose length disagrees with its type.
    const first = 2 + sample.readUInt16BE(0);
    const second = first + 2 + sample.readUInt16BE(first);
    const corrupt = Buffer.from(sample);
    corrupt[second + 2] = 0x7a; // 'z' is not an ITCH 5.0 type
    const wrongLength = Buffer.from([0, 5, 0x41, 0, 1, 0, 0]);
    const truncated = Buffer.from([0, 36, 0x41, 0, 1]);
    const file = tmpFile('itch-bad.NASDAQ_ITCH50', '');
    writeFileSync(file, Buffer.concat([corrupt, wrongLength, truncated]));
    const got = await replay({ files: [{ path: file, format: 'itch', date: '2026-03-02' }] });
    expect(got.summary.badRowsByReason).toMatchObject({ unknown_type: 1, malformed_message: 1, truncated_message: 1 });
    const warnings = got.logLines.filter((l) => l.reason !== undefined);
    expect(warnings[0]).toMatchObject({ reason: 'unknown_type', line: 3, offset: second });
    expect(String(warnings[0]!.msg)).toContain(`UNKNOWN_MESSAGE_TYPE: type z at byte ${second}`);
    expect(warnings[1]).toMatchObject({ reason: 'malformed_message', offset: corrupt.length });
    expect(warnings[2]).toMatchObject({ reason: 'truncated_message', offset: corrupt.length + wrongLength.length });
    // The directory entry lost was AAPL's (locate 1): its orders are not followed, the others are.
    expect(new Set(got.ticks.map((t) => t.symbol))).toEqual(new Set(['MSFT', 'NVDA']));
    expect(await metric('hft_md_bad_rows_total', { reason: 'truncated_message' })).toBeGreaterThanOrEqual(1);
  });

  it('say where the trading day comes from when the file name does not carry it', async () => {
    const file = tmpFile('session.itch', '');
    copyFileSync(SAMPLE, file);
    await expect(replay({ files: [{ path: file, format: 'auto' }] })).rejects.toThrow(/trading day is not in the file name.*date = "YYYY-MM-DD"/);
    const got = await replay({ files: [{ path: file, format: 'auto', date: '2026-03-02' }], symbols: new Set(['AAPL']) });
    const named = await replay({ files: [{ path: SAMPLE, format: 'auto' }], symbols: new Set(['AAPL']) });
    expect(got.ticks.map((t) => t.tsEvent)).toEqual(named.ticks.map((t) => t.tsEvent));
    // The pre-open book was built from 04:00 New York = 09:00 UTC on.
    expect(got.ticks[0]!.tsEvent / 1_000_000_000n / 3600n).toBe((MIDNIGHT_NS / 1_000_000_000n + 4n * 3600n) / 3600n);
  });
});
