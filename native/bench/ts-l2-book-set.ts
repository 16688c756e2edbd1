// A straightforward pure-TypeScript L2 book set with the same semantics, record layout, validation
// and algorithm (sorted levels, best last) as the Rust core: the baseline the benchmark compares to.

const MAX_EXACT = 2 ** 53;

class TsL2Book {
  // Ranked like the core: bids by price, asks by -price, both ascending with the touch last.
  readonly bids: { rank: number; qty: number }[] = [];
  readonly asks: { rank: number; qty: number }[] = [];

  constructor(
    readonly tick: number,
    readonly lot: number,
  ) {}

  set(side: number, price: number, qty: number): void {
    const levels = side === 0 ? this.bids : this.asks;
    const rank = side === 0 ? price : -price;
    let lo = 0;
    let hi = levels.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (levels[mid]!.rank < rank) lo = mid + 1;
      else hi = mid;
    }
    const hit = levels[lo];
    if (hit !== undefined && hit.rank === rank) {
      if (qty === 0) levels.splice(lo, 1);
      else hit.qty = qty;
    } else if (qty > 0) {
      levels.splice(lo, 0, { rank, qty });
    }
    if (qty > 0) {
      const opp = side === 0 ? this.asks : this.bids;
      // Trust the latest update: opposite levels it crosses are stale.
      while (opp.length > 0 && (side === 0 ? -opp[opp.length - 1]!.rank <= price : opp[opp.length - 1]!.rank >= price)) opp.pop();
    }
  }
}

export class TsL2BookSet {
  private readonly books: TsL2Book[] = [];
  rejected = 0;

  addBook(tick: number, lot: number): number {
    this.books.push(new TsL2Book(tick, lot));
    return this.books.length - 1;
  }

  /** Same contract as the native `apply`: returns the number of rejected records. */
  apply(records: Float64Array): number {
    let rejected = 0;
    for (let i = 0; i + 4 <= records.length; i += 4) {
      const book = this.books[records[i]!];
      const side = records[i + 1]!;
      const price = records[i + 2]!;
      const qty = records[i + 3]!;
      if (
        book === undefined ||
        (side !== 0 && side !== 1) ||
        !Number.isInteger(price) || price <= 0 || price >= MAX_EXACT || price % book.tick !== 0 ||
        !Number.isInteger(qty) || qty < 0 || qty >= MAX_EXACT || qty % book.lot !== 0
      ) {
        rejected++;
        continue;
      }
      book.set(side, price, qty);
    }
    this.rejected += rejected;
    return rejected;
  }

  best(book: number): [number, number, number, number] {
    const b = this.books[book]!;
    const bid = b.bids[b.bids.length - 1];
    const ask = b.asks[b.asks.length - 1];
    return [bid?.rank ?? 0, bid?.qty ?? 0, ask ? -ask.rank : 0, ask?.qty ?? 0];
  }

  /** Top `depth` levels per side from the touch, as [price, qty] pairs. */
  top(book: number, depth: number): { bids: [number, number][]; asks: [number, number][] } {
    const b = this.books[book]!;
    const take = (levels: { rank: number; qty: number }[], sign: number): [number, number][] =>
      levels.slice(-depth).reverse().map((l) => [sign * l.rank, l.qty]);
    return { bids: take(b.bids, 1), asks: take(b.asks, -1) };
  }
}
