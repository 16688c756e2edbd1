import {
  checkExponent,
  checkSymbol,
  FRAME_HEADER_BYTES,
  FrameKind,
  readHeader,
  readI53,
  unitsToDecimal,
  writeHeader,
  writeI53,
} from './binary-frame.js';
import { drop, type Decoded } from './decoded.js';

// Book snapshot frame: 32-byte header (count = bid levels, aux = ask levels), then
//   32 u64 seq | 40 i64 tsEvent ns | 48 levels: bids then asks, each i64 price units, i64 qty units.

export const BOOK_FIXED_BYTES = 16;
export const LEVEL_BYTES = 16;
export const MAX_BOOK_LEVELS = 1000;

export interface BookLevel {
  priceUnits: number;
  qtyUnits: number;
  price: number;
  qty: number;
}

export interface BookSnapshot {
  symbol: string;
  /** Per-symbol sequence number of the book stream. */
  seq: number;
  tsEvent: bigint;
  tsPublish: bigint;
  priceExponent: number;
  qtyExponent: number;
  /** Best first. */
  bids: BookLevel[];
  asks: BookLevel[];
}

export interface BookSnapshotInput {
  symbol: string;
  seq: number;
  tsEvent: bigint;
  tsPublish: bigint;
  priceExponent: number;
  qtyExponent: number;
  /** `[price, qty]` unit pairs, best first: the layout `L2BookSet.top` fills. */
  bids: ArrayLike<number>;
  bidLevels: number;
  asks: ArrayLike<number>;
  askLevels: number;
}

export function encodeBookSnapshot(s: BookSnapshotInput): Buffer {
  checkSymbol(s.symbol);
  checkExponent('price', s.priceExponent);
  checkExponent('qty', s.qtyExponent);
  if (s.bidLevels > MAX_BOOK_LEVELS || s.askLevels > MAX_BOOK_LEVELS) throw new RangeError(`at most ${MAX_BOOK_LEVELS} levels per side`);
  const buf = Buffer.allocUnsafe(FRAME_HEADER_BYTES + BOOK_FIXED_BYTES + (s.bidLevels + s.askLevels) * LEVEL_BYTES);
  writeHeader(buf, {
    kind: FrameKind.BookSnapshot,
    count: s.bidLevels,
    aux: s.askLevels,
    priceExponent: s.priceExponent,
    qtyExponent: s.qtyExponent,
    tsPublish: s.tsPublish,
    symbol: s.symbol,
  });
  writeI53(buf, 32, s.seq);
  buf.writeBigInt64LE(s.tsEvent, 40);
  let off = FRAME_HEADER_BYTES + BOOK_FIXED_BYTES;
  for (const [levels, n] of [
    [s.bids, s.bidLevels],
    [s.asks, s.askLevels],
  ] as const) {
    for (let i = 0; i < n; i++) {
      writeI53(buf, off, levels[2 * i]!);
      writeI53(buf, off + 8, levels[2 * i + 1]!);
      off += LEVEL_BYTES;
    }
  }
  return buf;
}

export function decodeBookSnapshot(frame: Uint8Array): Decoded<BookSnapshot> {
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const h = readHeader(buf, FrameKind.BookSnapshot);
  if ('ok' in h) return h;
  const expected = FRAME_HEADER_BYTES + BOOK_FIXED_BYTES + (h.count + h.aux) * LEVEL_BYTES;
  if (buf.length !== expected) return drop('bad_length', `${h.count}+${h.aux} levels need ${expected} bytes, frame has ${buf.length}`);
  const seq = readI53(buf, 32);
  if (!(seq >= 0)) return drop('bad_value', 'negative or oversized seq');
  const read = (start: number, n: number): BookLevel[] | null => {
    const out: BookLevel[] = [];
    for (let i = 0; i < n; i++) {
      const priceUnits = readI53(buf, start + i * LEVEL_BYTES);
      const qtyUnits = readI53(buf, start + i * LEVEL_BYTES + 8);
      if (!(priceUnits > 0) || !(qtyUnits > 0)) return null;
      out.push({ priceUnits, qtyUnits, price: unitsToDecimal(priceUnits, h.priceExponent), qty: unitsToDecimal(qtyUnits, h.qtyExponent) });
    }
    return out;
  };
  const start = FRAME_HEADER_BYTES + BOOK_FIXED_BYTES;
  const bids = read(start, h.count);
  const asks = read(start + h.count * LEVEL_BYTES, h.aux);
  if (!bids || !asks) return drop('bad_value', 'book level with non-positive price or qty');
  return {
    ok: true,
    value: { symbol: h.symbol, seq, tsEvent: buf.readBigInt64LE(40), tsPublish: h.tsPublish, priceExponent: h.priceExponent, qtyExponent: h.qtyExponent, bids, asks },
  };
}
