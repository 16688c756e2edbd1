import { Tag } from './fix-tags.js';

export const SOH = '\x01';

/** One decoded FIX message: its fields in wire order, and the first value of each tag. */
export class FixMessage {
  private readonly first = new Map<number, string>();
  private readonly repeated = new Set<number>();

  constructor(readonly fields: readonly (readonly [number, string])[]) {
    for (const [t, v] of fields) {
      if (this.first.has(t)) this.repeated.add(t);
      else this.first.set(t, v);
    }
  }

  get type(): string {
    return this.first.get(Tag.MsgType) ?? '';
  }

  get seqNum(): number {
    return Number(this.first.get(Tag.MsgSeqNum) ?? NaN);
  }

  get(tag: number): string | undefined {
    return this.first.get(tag);
  }

  has(tag: number): boolean {
    return this.first.has(tag);
  }

  /** Tags that appear more than once (a repeating group is not part of anything the gateway takes). */
  get duplicated(): ReadonlySet<number> {
    return this.repeated;
  }
}

/** FIX UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss. */
export function fixTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}`;
}

/** Milliseconds of a FIX UTCTimestamp (seconds, or with up to 9 fraction digits), NaN when it is not one. */
export function parseFixTime(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/.exec(s);
  if (!m) return NaN;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  return Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60 ? NaN : t;
}

function checksum(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum += s.charCodeAt(i);
  return String(sum % 256).padStart(3, '0');
}

/**
 * Encode a message: BeginString, BodyLength and CheckSum are computed; `fields` start with MsgType
 * (35) and carry the rest of the header, then the body. Values are ASCII; SOH inside a value is refused.
 */
export function encodeFix(beginString: string, fields: readonly (readonly [number, string | number])[]): Buffer {
  let body = '';
  for (const [t, v] of fields) {
    const s = String(v);
    if (s.includes(SOH)) throw new RangeError(`tag ${t}: a value cannot contain SOH`);
    body += `${t}=${s}${SOH}`;
  }
  const head = `8=${beginString}${SOH}9=${Buffer.byteLength(body, 'latin1')}${SOH}`;
  const msg = head + body;
  return Buffer.from(`${msg}10=${checksum(msg)}${SOH}`, 'latin1');
}

/** Human-readable form for logs: SOH shown as `|`. */
export function showFix(raw: Buffer | string): string {
  return (typeof raw === 'string' ? raw : raw.toString('latin1')).replaceAll(SOH, '|');
}

/** Checksum of a frame without its trailing `10=xxx|`, for the framer. */
export function frameChecksum(frame: Buffer, end: number): string {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += frame[i]!;
  return String(sum % 256).padStart(3, '0');
}
