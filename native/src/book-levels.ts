export interface Level {
  price: number;
  qty: number;
}

export interface BookLevels {
  bids: Level[];
  asks: Level[];
}

/** Scratch buffer for `top()` calls: `4 * depth` slots (bids then asks, `[price, qty]` pairs). */
export function levelsBuffer(depth: number): Float64Array {
  return new Float64Array(4 * depth);
}

/** Split the output of `L2BookSet.top` / `MatchingEngine.top` into level objects. */
export function readLevels(out: Float64Array, packedCounts: number): BookLevels {
  const half = out.length / 2;
  const nb = packedCounts & 0xffff;
  const na = packedCounts >>> 16;
  const bids: Level[] = [];
  const asks: Level[] = [];
  for (let i = 0; i < nb; i++) bids.push({ price: out[2 * i]!, qty: out[2 * i + 1]! });
  for (let i = 0; i < na; i++) asks.push({ price: out[half + 2 * i]!, qty: out[half + 2 * i + 1]! });
  return { bids, asks };
}
