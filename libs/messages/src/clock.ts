// Epoch-nanosecond clock shared by every daemon. Date.now() is ms-granular and each process's
// performance.timeOrigin is off by tens of µs, so instead the realtime-monotonic offset is read at a
// millisecond edge (where Date.now() is exact) and hrtime supplies the nanoseconds. Processes on one
// host then agree to about a microsecond, which tick-to-trade measurement across daemons needs.

function measureOffset(): bigint {
  let best: bigint | null = null;
  for (let k = 0; k < 12; k++) {
    const start = Date.now();
    let t = start;
    while (t === start) t = Date.now();
    const h = process.hrtime.bigint();
    const offset = BigInt(t) * 1_000_000n - h;
    // Any delay between the edge and the hrtime read makes the offset smaller: keep the largest.
    if (best === null || offset > best) best = offset;
  }
  return best!;
}

let offset: bigint | null = null;

/** Nanoseconds since the Unix epoch (monotonic within a process). */
export function nowNs(): bigint {
  offset ??= measureOffset();
  return offset + process.hrtime.bigint();
}

/** Nanoseconds between two epoch-ns timestamps, as a float of seconds (for histograms). */
export function nsToSeconds(ns: bigint): number {
  return Number(ns) / 1e9;
}
