import {
  checkExponent,
  checkSymbol,
  epochNsWords,
  FRAME_HEADER_BYTES,
  FrameKind,
  readHeader,
  readI53,
  unitsToDecimal,
  writeEpochNs,
  writeHeader,
  writeI53,
} from './binary-frame.js';
import { drop, type Decoded } from './decoded.js';

// Tick batch frame: 32-byte header then `count` 40-byte records (little-endian):
//   0 u64 seq | 8 i64 tsEvent ns | 16 i64 price units | 24 i64 qty units | 32 u8 kind | 33 u8 aggressor | 34 pad[6]

export const TICK_RECORD_BYTES = 40;
/**
 * 0: every level of the symbol's book was removed (the feed cleared it); price and quantity are 0.
 * 4: open interest of an option or future: quantity = contracts open now, price 0; not a book change.
 */
export const TickKind = { Clear: 0, Trade: 1, Bid: 2, Ask: 3, OpenInterest: 4 } as const;
export type TickKind = (typeof TickKind)[keyof typeof TickKind];
/** Metric and JSON names of the kinds, indexed by kind. */
export const TICK_KIND_NAMES = ['clear', 'trade', 'bid', 'ask', 'open_interest'] as const;
export type TickKindName = (typeof TICK_KIND_NAMES)[number];
export const Aggressor = { Unknown: 0, Buyer: 1, Seller: 2 } as const;
export type Aggressor = (typeof Aggressor)[keyof typeof Aggressor];

export interface Tick {
  symbol: string;
  /** Per-symbol sequence number of the tick stream, gap-free from the publisher. */
  seq: number;
  /** Exchange timestamp, ns since epoch. */
  tsEvent: bigint;
  /** Trade, a level update on the bid/ask side (qty = new size at the level; 0 removes it), a clear of the book, or open interest. */
  kind: TickKind;
  aggressor: Aggressor;
  priceUnits: number;
  qtyUnits: number;
  price: number;
  qty: number;
}

export interface TickFrame {
  symbol: string;
  tsPublish: bigint;
  priceExponent: number;
  qtyExponent: number;
  ticks: Tick[];
}

// Frames are little-endian; on such a host the encoder writes records through 32-bit views (a
// Buffer.writeXxx call per field, each range-checked, was the replay's largest cost after parsing).
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TWO_32 = 2 ** 32;

/** Accumulates ticks of one symbol into a frame; reuse it across frames. */
export class TickFrameEncoder {
  private readonly buf: Buffer;
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private n = 0;

  constructor(
    readonly symbol: string,
    readonly priceExponent: number,
    readonly qtyExponent: number,
    readonly capacity = 256,
  ) {
    checkSymbol(symbol);
    checkExponent('price', priceExponent);
    checkExponent('qty', qtyExponent);
    if (capacity < 1 || capacity > 65535) throw new RangeError(`capacity ${capacity} must be 1..65535`);
    // Buffer.alloc gives the frame its own zeroed memory at offset 0: 4-byte aligned views fit.
    this.buf = Buffer.alloc(FRAME_HEADER_BYTES + capacity * TICK_RECORD_BYTES);
    this.u32 = new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2);
    this.i32 = new Int32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2);
  }

  get count(): number {
    return this.n;
  }

  get full(): boolean {
    return this.n === this.capacity;
  }

  /** One tick; its exchange time as epoch seconds + nanoseconds (exact, no BigInt on this path). */
  add(seq: number, sec: number, nsec: number, kind: TickKind, aggressor: Aggressor, priceUnits: number, qtyUnits: number): void {
    if (this.n === this.capacity) throw new RangeError(`tick frame for ${this.symbol} is full (${this.capacity})`);
    const off = FRAME_HEADER_BYTES + this.n * TICK_RECORD_BYTES;
    if (LITTLE_ENDIAN) {
      const u = this.u32;
      const w = off >>> 2;
      u[w] = seq >>> 0;
      this.i32[w + 1] = Math.floor(seq / TWO_32);
      epochNsWords(sec, nsec, u, w + 2);
      u[w + 4] = priceUnits >>> 0;
      this.i32[w + 5] = Math.floor(priceUnits / TWO_32);
      u[w + 6] = qtyUnits >>> 0;
      this.i32[w + 7] = Math.floor(qtyUnits / TWO_32);
      u[w + 8] = kind | (aggressor << 8);
      u[w + 9] = 0;
      this.n++;
      return;
    }
    const b = this.buf;
    writeI53(b, off, seq);
    writeEpochNs(b, off + 8, sec, nsec);
    writeI53(b, off + 16, priceUnits);
    writeI53(b, off + 24, qtyUnits);
    b.writeUInt8(kind, off + 32);
    b.writeUInt8(aggressor, off + 33);
    b.fill(0, off + 34, off + 40);
    this.n++;
  }

  /** The frame of everything added since the last finish (a copy: safe to hand to a socket). */
  finish(tsPublish: bigint): Buffer {
    writeHeader(this.buf, {
      kind: FrameKind.TickBatch,
      count: this.n,
      aux: 0,
      priceExponent: this.priceExponent,
      qtyExponent: this.qtyExponent,
      tsPublish,
      symbol: this.symbol,
    });
    const out = Buffer.from(this.buf.subarray(0, FRAME_HEADER_BYTES + this.n * TICK_RECORD_BYTES));
    this.n = 0;
    return out;
  }
}

export function decodeTickFrame(frame: Uint8Array): Decoded<TickFrame> {
  const buf = Buffer.isBuffer(frame) ? frame : Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
  const h = readHeader(buf, FrameKind.TickBatch);
  if ('ok' in h) return h;
  const expected = FRAME_HEADER_BYTES + h.count * TICK_RECORD_BYTES;
  if (buf.length !== expected) return drop('bad_length', `${h.count} ticks need ${expected} bytes, frame has ${buf.length}`);
  const ticks: Tick[] = new Array<Tick>(h.count);
  for (let i = 0; i < h.count; i++) {
    const off = FRAME_HEADER_BYTES + i * TICK_RECORD_BYTES;
    const seq = readI53(buf, off);
    const priceUnits = readI53(buf, off + 16);
    const qtyUnits = readI53(buf, off + 24);
    const kind = buf.readUInt8(off + 32);
    const aggressor = buf.readUInt8(off + 33);
    if (!(seq >= 0) || !(priceUnits >= 0) || !(qtyUnits >= 0)) return drop('bad_value', `tick ${i}: negative or oversized seq/price/qty`);
    if (kind >= TICK_KIND_NAMES.length || aggressor > 2) return drop('bad_value', `tick ${i}: kind ${kind} / aggressor ${aggressor} unknown`);
    ticks[i] = {
      symbol: h.symbol,
      seq,
      tsEvent: buf.readBigInt64LE(off + 8),
      kind: kind as TickKind,
      aggressor: aggressor as Aggressor,
      priceUnits,
      qtyUnits,
      price: unitsToDecimal(priceUnits, h.priceExponent),
      qty: unitsToDecimal(qtyUnits, h.qtyExponent),
    };
  }
  return { ok: true, value: { symbol: h.symbol, tsPublish: h.tsPublish, priceExponent: h.priceExponent, qtyExponent: h.qtyExponent, ticks } };
}
