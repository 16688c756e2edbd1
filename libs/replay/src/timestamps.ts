// Exchange timestamps as (seconds, nanoseconds) number pairs: exact at ns resolution without BigInt
// on the hot path (epoch ns does not fit in a double).

export interface Instant {
  sec: number;
  nsec: number;
}

/** Integer epoch nanoseconds as a decimal string (the project's own format). */
export function parseEpochNs(s: string, out: Instant): boolean {
  const n = s.length;
  if (n < 10 || n > 19) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  out.sec = Number(s.slice(0, n - 9));
  out.nsec = Number(s.slice(n - 9));
  return true;
}

/** ISO 8601 UTC with up to nanosecond fraction: 2026-03-02T14:30:00.123456789Z. */
export function parseIso(s: string, out: Instant): boolean {
  const m = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return false;
  const ms = Date.parse(`${m[1]!.replace(' ', 'T')}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(ms)) return false;
  out.sec = Math.floor(ms / 1000);
  out.nsec = Number((m[2] ?? '').padEnd(9, '0'));
  return true;
}

/** Epoch milliseconds or, from 1e14 up (Binance from 2025), microseconds. */
export function parseEpochMsOrUs(s: string, out: Instant): boolean {
  if (!/^\d{10,17}$/.test(s)) return false;
  const v = Number(s);
  if (v >= 1e14) {
    out.sec = Math.floor(v / 1e6);
    out.nsec = (v % 1e6) * 1000;
  } else {
    out.sec = Math.floor(v / 1e3);
    out.nsec = (v % 1e3) * 1e6;
  }
  return true;
}

export function compareInstant(a: Instant, b: Instant): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

/** a - b in seconds (float; for pacing and spans). */
export function secondsBetween(a: Instant, b: Instant): number {
  return a.sec - b.sec + (a.nsec - b.nsec) / 1e9;
}

export function instantToNs(t: Instant): bigint {
  return BigInt(t.sec) * 1_000_000_000n + BigInt(t.nsec);
}

export function nsToInstant(ns: bigint): Instant {
  return { sec: Number(ns / 1_000_000_000n), nsec: Number(ns % 1_000_000_000n) };
}
