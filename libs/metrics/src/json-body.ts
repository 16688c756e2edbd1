import { ERR_HTTP_BAD_BODY } from './errors.js';

/** Deeper than any request body we define by far, shallow enough that nothing downstream recurses into a stack overflow. */
export const MAX_JSON_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parse a JSON request body strictly: valid UTF-8 (no silent U+FFFD), nesting at most `maxDepth`,
 * and valid JSON. Throws HFT_HTTP_BAD_BODY saying what is wrong and at which byte.
 */
export function parseJsonBody(body: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  if (body.length === 0) throw ERR_HTTP_BAD_BODY('empty body with content-type application/json');
  let text: string;
  try {
    text = strictUtf8.decode(body);
  } catch {
    throw ERR_HTTP_BAD_BODY('not valid UTF-8', firstInvalidUtf8(body));
  }
  const deep = tooDeepAt(body, maxDepth);
  if (deep >= 0) throw ERR_HTTP_BAD_BODY(`JSON nested deeper than ${maxDepth} levels`, deep);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw ERR_HTTP_BAD_BODY(`not valid JSON: ${(e as Error).message}`);
  }
}

/** Byte offset where nesting first exceeds `max` ('{' or '[' outside strings), or -1. */
function tooDeepAt(b: Buffer, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (error path only). */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > b.length) return i;
    try {
      strictUtf8.decode(b.subarray(i, i + n));
    } catch {
      return i;
    }
    i += n;
  }
  return b.length;
}
