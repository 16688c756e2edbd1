// Timing for the native benchmarks: median of several rounds after a warm-up, in one place.

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Median wall time (ns) of `rounds` runs of `fn`, after one warm-up run. */
export function timeIt(rounds: number, setup: () => void, fn: () => void): number {
  setup();
  fn();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    setup();
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0));
  }
  return median(times);
}
