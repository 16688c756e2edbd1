/**
 * Runs tasks at (or just after) their due time with sub-millisecond precision and without
 * reordering: a task is never due before the one queued ahead of it. Timers wake the loop for long
 * waits; the last millisecond is covered by yielding (setImmediate), which keeps the event loop
 * free for other work while a task is pending.
 */
export class DelayQueue {
  private readonly q: { due: number; run: () => void }[] = [];
  private head = 0;
  private lastDue = 0;
  private timer: NodeJS.Timeout | null = null;
  private spinning = false;

  /** Schedule `run` `delayUs` from now (performance.now() clock); returns the due time in ms. */
  push(delayUs: number, run: () => void): number {
    const due = Math.max(performance.now() + delayUs / 1000, this.lastDue);
    this.lastDue = due;
    this.q.push({ due, run });
    this.kick();
    return due;
  }

  get size(): number {
    return this.q.length - this.head;
  }

  private kick(): void {
    if (this.spinning || this.timer) return;
    this.pump();
  }

  private pump(): void {
    this.timer = null;
    this.spinning = false;
    const now = performance.now();
    while (this.head < this.q.length && this.q[this.head]!.due <= now) {
      const t = this.q[this.head]!;
      this.head++;
      t.run();
    }
    if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q.splice(0, this.head);
      this.head = 0;
    }
    if (this.head >= this.q.length) return;
    const wait = this.q[this.head]!.due - performance.now();
    if (wait > 1.5) {
      this.timer = setTimeout(() => this.pump(), wait - 1);
    } else {
      this.spinning = true;
      setImmediate(() => this.pump());
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.q.length = 0;
    this.head = 0;
  }
}
