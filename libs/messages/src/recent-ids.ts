/**
 * A bounded set of recently seen ids (execIds, eventIds) that forgets the oldest first: duplicate
 * detection for at-least-once streams without growing forever.
 */
export class RecentIds {
  private readonly set = new Set<string>();
  private readonly order: string[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  has(k: string): boolean {
    return this.set.has(k);
  }

  add(k: string): void {
    if (this.set.has(k)) return;
    this.set.add(k);
    this.order.push(k);
    if (this.order.length - this.head > this.capacity) {
      this.set.delete(this.order[this.head]!);
      this.head++;
      if (this.head > 10_000) {
        this.order.splice(0, this.head);
        this.head = 0;
      }
    }
  }
}
