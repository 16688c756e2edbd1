import type { OrderEvent } from '@hft/messages';

interface Stream {
  items: { lsn: number; event: OrderEvent }[];
  /** Index of the oldest kept item (items before it are dropped, compacted now and then). */
  head: number;
}

/**
 * The newest events of each strategy's stream in memory, so a consumer catching up reads them without
 * Postgres, and everything not yet committed to the ledger (sent before its commit) can be read back.
 * Only committed events are ever dropped, oldest first, beyond `keep` per strategy.
 */
export class RecentEvents {
  private readonly streams = new Map<string, Stream>();
  private committedLsn = 0;

  constructor(private readonly keep: number) {}

  add(lsn: number, event: OrderEvent): void {
    let s = this.streams.get(event.strategyId);
    if (!s) this.streams.set(event.strategyId, (s = { items: [], head: 0 }));
    s.items.push({ lsn, event });
    this.trim(s);
  }

  committed(lsn: number): void {
    this.committedLsn = Math.max(this.committedLsn, lsn);
    for (const s of this.streams.values()) this.trim(s);
  }

  /** Events after `after`, if memory covers them (from `after + 1` on); null when they are only in Postgres. */
  after(strategyId: string, after: number, limit: number): OrderEvent[] | null {
    const s = this.streams.get(strategyId);
    if (!s || s.head >= s.items.length) return null;
    const first = s.items[s.head]!.event.seq!;
    if (after + 1 < first) return null;
    const from = s.head + after + 1 - first;
    return s.items.slice(from, from + limit).map((x) => x.event);
  }

  private trim(s: Stream): void {
    while (s.items.length - s.head > this.keep && s.items[s.head]!.lsn <= this.committedLsn) s.head++;
    if (s.head > 4096) {
      s.items.splice(0, s.head);
      s.head = 0;
    }
  }
}
