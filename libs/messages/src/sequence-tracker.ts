/**
 * Per-stream sequence checking for broadcast streams (market data, execution reports): PUB/SUB can
 * drop at the high-water mark, so every consumer counts what it missed. A restart of the publisher
 * (sequence back to 1) is reported as a reset, not a gap.
 */
export class SequenceTracker {
  private readonly last = new Map<string, number>();
  gaps = 0;
  missed = 0;
  resets = 0;

  /** Record `seq` for `key`; returns how many messages were missed before it (0 when in order). */
  see(key: string, seq: number): number {
    const prev = this.last.get(key);
    this.last.set(key, seq);
    if (prev === undefined || seq === prev + 1) return 0;
    if (seq <= prev) {
      this.resets++;
      return 0;
    }
    const missed = seq - prev - 1;
    this.gaps++;
    this.missed += missed;
    return missed;
  }

  lastSeq(key: string): number | undefined {
    return this.last.get(key);
  }
}
