import { drop, type Drop } from './decoded.js';

// Common 32-byte header of the binary market-data frames (little-endian). See docs/wire-format.md.
//   0 u8 version | 1 u8 kind | 2 u16 count | 4 i8 priceExp | 5 i8 qtyExp | 6 u16 aux
//   8 i64 tsPublish (ns since epoch) | 16 char[16] symbol, ASCII, NUL-padded

export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 32;
export const FrameKind = { TickBatch: 1, BookSnapshot: 2 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
const SYMBOL_BYTES = 16;
const SYMBOL_RE = /^[A-Z0-9][A-Z0-9._-]{0,15}$/;

export interface FrameHeader {
  kind: FrameKind;
  count: number;
  aux: number;
  priceExponent: number;
  qtyExponent: number;
  tsPublish: bigint;
  symbol: string;
}

export function writeHeader(buf: Buffer, h: FrameHeader): void {
  buf.writeUInt8(FRAME_VERSION, 0);
  buf.writeUInt8(h.kind, 1);
  buf.writeUInt16LE(h.count, 2);
  buf.writeInt8(h.priceExponent, 4);
  buf.writeInt8(h.qtyExponent, 5);
  buf.writeUInt16LE(h.aux, 6);
  buf.writeBigInt64LE(h.tsPublish, 8);
  buf.fill(0, 16, 32);
  buf.write(h.symbol, 16, SYMBOL_BYTES, 'latin1');
}

export function checkSymbol(symbol: string): void {
  if (!SYMBOL_RE.test(symbol)) throw new RangeError(`symbol ${JSON.stringify(symbol)} cannot be framed: 1-16 chars of A-Z 0-9 . _ -`);
}

export function checkExponent(name: string, e: number): void {
  if (!Number.isInteger(e) || e < -18 || e > 0) throw new RangeError(`${name} exponent ${e} must be an integer in [-18, 0]`);
}

export function readHeader(buf: Buffer, kind: FrameKind): FrameHeader | Drop {
  if (buf.length < FRAME_HEADER_BYTES) return drop('bad_header', `frame of ${buf.length} bytes is shorter than the ${FRAME_HEADER_BYTES}-byte header`);
  const version = buf.readUInt8(0);
  if (version !== FRAME_VERSION) return drop('bad_version', `version ${version}, expected ${FRAME_VERSION}`);
  const k = buf.readUInt8(1);
  if (k !== kind) return drop('bad_kind', `kind ${k}, expected ${kind}`);
  const priceExponent = buf.readInt8(4);
  const qtyExponent = buf.readInt8(5);
  if (priceExponent < -18 || priceExponent > 0 || qtyExponent < -18 || qtyExponent > 0) {
    return drop('bad_value', `exponents ${priceExponent}/${qtyExponent} outside [-18, 0]`);
  }
  const end = buf.indexOf(0, 16);
  const symbol = buf.toString('latin1', 16, end < 0 || end > 32 ? 32 : end);
  if (!SYMBOL_RE.test(symbol)) return drop('bad_symbol', `symbol field ${JSON.stringify(symbol)} is not a valid symbol`);
  return {
    kind,
    count: buf.readUInt16LE(2),
    aux: buf.readUInt16LE(6),
    priceExponent,
    qtyExponent,
    tsPublish: buf.readBigInt64LE(8),
    symbol,
  };
}

const TWO_32 = 2 ** 32;

/** Write an integer |v| < 2^53 as a little-endian i64 without going through BigInt. */
export function writeI53(buf: Buffer, off: number, v: number): void {
  buf.writeUInt32LE(v >>> 0, off);
  buf.writeInt32LE(Math.floor(v / TWO_32), off + 4);
}

/**
 * Epoch nanoseconds given as (seconds, nanoseconds) numbers as the two 32-bit words of an exact i64,
 * low first, into `out[at]`, `out[at + 1]`, without BigInt: the product sec * 1e9 is assembled from
 * 16-bit limbs that stay below 2^53.
 */
export function epochNsWords(sec: number, nsec: number, out: Uint32Array, at: number): void {
  const sH = Math.floor(sec / 65536);
  const sL = sec - sH * 65536;
  const t1 = sL * 1e9 + nsec; // < 2^53
  const t2 = sH * 1e9; // stands for t2 * 2^16
  const t2H = Math.floor(t2 / 65536);
  const t2L = t2 - t2H * 65536;
  const low = t2L * 65536 + t1; // < 2^53
  const carry = Math.floor(low / TWO_32);
  out[at] = low - carry * TWO_32;
  out[at + 1] = t2H + carry;
}

const WORDS = new Uint32Array(2);

/** Write epoch nanoseconds given as (seconds, nanoseconds) as an exact little-endian i64 (see `epochNsWords`). */
export function writeEpochNs(buf: Buffer, off: number, sec: number, nsec: number): void {
  epochNsWords(sec, nsec, WORDS, 0);
  buf.writeUInt32LE(WORDS[0]!, off);
  buf.writeUInt32LE(WORDS[1]!, off + 4);
}

/** Read a little-endian i64 as a number; NaN when it does not fit in 53 bits. */
export function readI53(buf: Buffer, off: number): number {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readInt32LE(off + 4);
  if (hi >= 0x200000 || hi < -0x200000) return Number.NaN;
  return hi * TWO_32 + lo;
}

/** Decimal value of `units` at a power-of-ten exponent (division keeps it correctly rounded). */
export function unitsToDecimal(units: number, exponent: number): number {
  return exponent === 0 ? units : units / 10 ** -exponent;
}
