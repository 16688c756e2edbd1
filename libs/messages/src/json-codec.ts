import { catalog, isMessageType, type Message, type MessageInput, type MessageType } from './catalog.js';
import { drop, type Decoded } from './decoded.js';

/** Control-plane frames are small; anything bigger is a bug or an attack. */
export const MAX_JSON_FRAME = 64 * 1024;
/** Analytics snapshots (a whole option chain with greeks, ~450 bytes a contract) may be bigger. */
export const MAX_ANALYTICS_FRAME = 4 * 1024 * 1024;

const bigintAsString = (_key: string, v: unknown): unknown => (typeof v === 'bigint' ? v.toString() : v);

/** One JSON object per frame, UTF-8; bigint nanosecond fields become decimal strings. */
export function encodeMessage(msg: Message | MessageInput<MessageType>): Buffer {
  return Buffer.from(encodeMessageText(msg));
}

/** The JSON text of a message (what `encodeMessage` puts in a frame), for callers that reuse it. */
export function encodeMessageText(msg: Message | MessageInput<MessageType>): string {
  return JSON.stringify(msg, bigintAsString);
}

/**
 * Parse and validate one frame. Never throws: a malformed frame comes back as a Drop with a reason
 * (a metric label) and a detail saying what was wrong.
 */
export function decodeMessage<T extends MessageType = MessageType>(
  frame: Uint8Array,
  expected?: readonly T[],
  maxBytes = MAX_JSON_FRAME,
): Decoded<Extract<Message, { type: T }>> {
  if (frame.byteLength > maxBytes) return drop('too_large', `frame of ${frame.byteLength} bytes exceeds ${maxBytes}`);
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('utf8'));
  } catch (e) {
    return drop('malformed_json', (e as Error).message);
  }
  return parseMessage(raw, expected);
}

/** Validate an already parsed JSON value as a message (a frame's or one read back from storage). */
export function parseMessage<T extends MessageType = MessageType>(raw: unknown, expected?: readonly T[]): Decoded<Extract<Message, { type: T }>> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return drop('not_an_object', `got ${Array.isArray(raw) ? 'array' : typeof raw}`);
  const type = (raw as { type?: unknown }).type;
  if (!isMessageType(type)) return drop('unknown_type', `type ${JSON.stringify(type)?.slice(0, 80)} is not in the catalog`);
  if (expected && !(expected as readonly string[]).includes(type)) {
    return drop('unexpected_type', `${type} is not accepted here (expected ${expected.join('|')})`);
  }
  const parsed = catalog[type].safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return drop('invalid_fields', `${type}: ${detail}`);
  }
  return { ok: true, value: parsed.data as Extract<Message, { type: T }> };
}
