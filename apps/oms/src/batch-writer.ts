import { setTimeout as sleep } from 'node:timers/promises';

export interface BatchWriterOptions<T, R> {
  name: string;
  /** Items waiting at most; `push` refuses beyond it (back-pressure). */
  capacity: number;
  batchMax: number;
  /** Batches written at the same time (each on its own connection); results are still handled in order. */
  concurrency?: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** Wait this long after the first item of an idle writer before writing (group commit): a trickle
   * of items becomes one write, and the process spends its time on the order path, not on round trips. */
  lingerMs?: number;
  write: (batch: T[]) => Promise<R>;
  /** Called with each batch's result, strictly in the order the batches were taken. */
  after?: (batch: T[], result: R) => void;
  onBatch?: (size: number, seconds: number) => void;
  onRetry?: (err: Error, attempt: number, delayMs: number) => void;
  onRecovered?: () => void;
}

interface InFlight<T, R> {
  batch: T[];
  result: Promise<{ ok: true; value: R } | { ok: false; err: Error }>;
  started: number;
}

/**
 * A bounded FIFO drained in batches (group commit: whatever queued while earlier batches were being
 * written goes in the next). Up to `concurrency` batches are written at once; results are handled
 * in order. A failed batch is retried with exponential backoff before anything after it is handled,
 * so nothing is dropped or reordered while the database is away.
 */
export class BatchWriter<T, R = void> {
  private items: T[] = [];
  private running = false;
  private lingering: NodeJS.Timeout | null = null;
  private closed = false;
  private idle: (() => void)[] = [];
  /** Items in batches being written (they still count against the capacity). */
  private inFlight = 0;
  failing = false;
  retries = 0;

  constructor(private readonly o: BatchWriterOptions<T, R>) {}

  /** Items not written yet: queued or in a batch being written. */
  get depth(): number {
    return this.items.length + this.inFlight;
  }

  get full(): boolean {
    return this.depth >= this.o.capacity;
  }

  push(item: T): boolean {
    if (this.closed || this.full) return false;
    this.items.push(item);
    if (this.running) return true;
    if (this.lingering && this.items.length >= this.o.batchMax) {
      clearTimeout(this.lingering);
      this.lingering = null;
    }
    if (this.lingering) return true;
    if (this.o.lingerMs && this.items.length < this.o.batchMax) {
      this.lingering = setTimeout(() => {
        this.lingering = null;
        if (!this.running) void this.run();
      }, this.o.lingerMs);
    } else void this.run();
    return true;
  }

  /** Resolves once everything queued so far is written and handled. */
  drain(): Promise<void> {
    if (this.lingering) {
      clearTimeout(this.lingering);
      this.lingering = null;
      if (!this.running) void this.run();
    }
    if (!this.running && this.items.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  close(): void {
    this.closed = true;
  }

  private start(batch: T[]): InFlight<T, R> {
    return {
      batch,
      started: performance.now(),
      result: this.o.write(batch).then(
        (value) => ({ ok: true as const, value }),
        (err: unknown) => ({ ok: false as const, err: err as Error }),
      ),
    };
  }

  private take(): T[] | null {
    if (this.items.length === 0) return null;
    const b = this.items.splice(0, this.o.batchMax);
    this.inFlight += b.length;
    return b;
  }

  private async run(): Promise<void> {
    this.running = true;
    const window: InFlight<T, R>[] = [];
    const fill = (): void => {
      while (window.length < (this.failing ? 1 : (this.o.concurrency ?? 1))) {
        const b = this.take();
        if (!b) break;
        window.push(this.start(b));
      }
    };
    let delay = this.o.retryInitialMs;
    let attempt = 0;
    fill();
    while (window.length > 0) {
      const head = window[0]!;
      const r = await head.result;
      if (r.ok) {
        window.shift();
        this.inFlight -= head.batch.length;
        this.o.onBatch?.(head.batch.length, (performance.now() - head.started) / 1000);
        this.o.after?.(head.batch, r.value);
        if (this.failing) {
          this.failing = false;
          this.o.onRecovered?.();
        }
        delay = this.o.retryInitialMs;
        attempt = 0;
      } else {
        this.failing = true;
        this.retries++;
        attempt++;
        this.o.onRetry?.(r.err, attempt, delay);
        await sleep(delay);
        delay = Math.min(delay * 2, this.o.retryMaxMs);
        // Retry the head; later batches in flight keep their results until it is through.
        window[0] = this.start(head.batch);
      }
      fill();
    }
    this.running = false;
    for (const r of this.idle.splice(0)) r();
  }
}
