import { FixMessage, frameChecksum } from './fix-message.js';
import { SessionRejectReason } from './fix-tags.js';

/** A whole frame with a good length and checksum; `problem` when a field in it is malformed (rejected, not dropped). */
export interface Frame {
  raw: Buffer;
  msg: FixMessage;
  problem?: { tag: number; reason: number; text: string };
}

/** Bytes that are not a FIX frame: ignored as the specification says for garbled data, and counted. */
export interface Garbled {
  garbled: true;
  bytes: number;
  why: string;
}

const START = Buffer.from('8=FIX', 'latin1');
const MAX_BODY = 64 * 1024;

/**
 * Cuts a TCP byte stream into FIX frames: `8=...|9=<length>|` then exactly that many bytes, then
 * `10=<checksum>|`. Garbled input (no BeginString, a bad length, a bad checksum) is skipped up to the
 * next `8=FIX`, so one bad frame never takes the session down with it.
 */
export class FixFramer {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
  }

  /** The next frame or garbled run, or null when more bytes are needed. */
  next(): Frame | Garbled | null {
    const b = this.buf;
    if (b.length === 0) return null;
    if (b.length >= START.length && !b.subarray(0, START.length).equals(START)) return this.skip(0, 'no BeginString (8=FIX) where a message should start');
    if (b.length < START.length) return START.subarray(0, b.length).equals(b) ? null : this.skip(0, 'no BeginString where a message should start');
    const soh1 = b.indexOf(1);
    if (soh1 < 0) return b.length > 32 ? this.skip(0, 'BeginString without SOH') : null;
    if (b.length < soh1 + 3) return null;
    if (b[soh1 + 1] !== 0x39 || b[soh1 + 2] !== 0x3d) return this.skip(0, 'BodyLength (9) is not the second field');
    const soh2 = b.indexOf(1, soh1 + 3);
    if (soh2 < 0) return b.length - soh1 > 16 ? this.skip(0, 'BodyLength without SOH') : null;
    const lenText = b.toString('latin1', soh1 + 3, soh2);
    if (!/^\d{1,6}$/.test(lenText) || Number(lenText) > MAX_BODY) return this.skip(0, `BodyLength ${JSON.stringify(lenText)} is not a length up to ${MAX_BODY}`);
    const bodyEnd = soh2 + 1 + Number(lenText);
    if (b.length < bodyEnd + 7) return null;
    const trailer = b.toString('latin1', bodyEnd, bodyEnd + 7);
    if (!trailer.startsWith('10=') || !/^\d{3}$/.test(trailer.slice(3, 6)) || b[bodyEnd + 6] !== 1) return this.skip(0, 'BodyLength does not end where CheckSum (10) starts');
    const want = frameChecksum(b, bodyEnd);
    if (trailer.slice(3, 6) !== want) return this.skip(0, `CheckSum ${trailer.slice(3, 6)} should be ${want}`);
    const raw = Buffer.from(b.subarray(0, bodyEnd + 7));
    this.buf = b.subarray(bodyEnd + 7);
    return decodeFrame(raw);
  }

  /** Drop a garbled run: up to the next `8=FIX` after `from`, keeping a tail that may begin one. */
  private skip(from: number, why: string): Garbled {
    let at = this.buf.indexOf(START, from + 1);
    if (at < 0) {
      at = this.buf.length;
      for (let k = Math.min(START.length - 1, this.buf.length - 1); k > 0; k--) {
        if (this.buf.subarray(this.buf.length - k).equals(START.subarray(0, k))) {
          at = this.buf.length - k;
          break;
        }
      }
    }
    const bytes = at;
    this.buf = this.buf.subarray(at);
    return { garbled: true, bytes, why };
  }
}

function decodeFrame(raw: Buffer): Frame {
  const text = raw.toString('latin1', 0, raw.length - 1);
  const fields: [number, string][] = [];
  let problem: Frame['problem'];
  for (const part of text.split('\x01')) {
    const eq = part.indexOf('=');
    const tagText = eq < 0 ? part : part.slice(0, eq);
    const tag = Number(tagText);
    if (!/^[1-9]\d{0,5}$/.test(tagText)) {
      problem ??= { tag: 0, reason: SessionRejectReason.InvalidTagNumber, text: `invalid tag number ${JSON.stringify(tagText.slice(0, 20))}` };
      continue;
    }
    if (eq < 0 || eq === part.length - 1) {
      problem ??= { tag, reason: SessionRejectReason.TagWithoutValue, text: `tag ${tag} has no value` };
      continue;
    }
    fields.push([tag, part.slice(eq + 1)]);
  }
  const msg = new FixMessage(fields);
  return problem ? { raw, msg, problem } : { raw, msg };
}
