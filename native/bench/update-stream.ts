// Deterministic synthetic L2 update stream shared by the benchmark and the differential test:
// a random-walking mid with most updates within a few ticks of the touch, like a real feed.

/** Small, fast, seedable PRNG (mulberry32) so every run sees the same stream. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` records of `[book, side, price, qty]` over `books` instruments, prices in units with tick 1. */
export function l2UpdateStream(n: number, books: number, seed = 42): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n * 4);
  const mids = Array.from({ length: books }, (_, i) => 10_000 + i * 1_000);
  for (let i = 0; i < n; i++) {
    const b = i % books;
    if (r() < 0.01) mids[b]! += r() < 0.5 ? -1 : 1;
    const side = r() < 0.5 ? 0 : 1;
    // Distance from the touch: geometric-ish, mostly 1-5 ticks, occasionally up to ~40.
    const dist = 1 + Math.floor(-Math.log(1 - r()) * 4);
    const price = side === 0 ? mids[b]! - dist : mids[b]! + dist;
    const qty = r() < 0.25 ? 0 : 1 + Math.floor(r() * 500);
    out.set([b, side, price, qty], i * 4);
  }
  return out;
}
