import type { Writable } from 'zeromq';
import { transportMetrics } from './transport-metrics.js';

export type Frames = (Buffer | string)[];

/**
 * zeromq.js allows one pending send per socket (a second gives EBUSY), so each socket gets exactly one
 * writer draining a bounded FIFO. `push` never blocks: it returns false when the queue is full so the
 * caller applies back-pressure (or, for best-effort streams, counts the drop).
 */
export class SendQueue {
  private items: Frames[] = [];
  private head = 0;
  private writing = false;
  private closed = false;
  private idle: (() => void)[] = [];
  private readonly m = transportMetrics();

  constructor(
    private readonly sock: Writable & { closed: boolean },
    readonly stream: string,
    readonly capacity: number,
    /** Called when a send fails for good (EAGAIN at the high-water mark with noDrop PUB). */
    private readonly onSendError: (code: string) => void = () => {},
  ) {
    // Known label sets start at 0, so rate() and dashboards see them before the first drop.
    for (const reason of ['hwm', 'queue_full', 'closed', 'unroutable']) this.m.sendDropped.inc({ stream, reason }, 0);
    this.m.sent.inc({ stream }, 0);
  }

  get depth(): number {
    return this.items.length - this.head;
  }

  push(frames: Frames): boolean {
    if (this.closed || this.sock.closed) {
      this.m.sendDropped.inc({ stream: this.stream, reason: 'closed' });
      return false;
    }
    if (this.depth >= this.capacity) {
      this.m.sendDropped.inc({ stream: this.stream, reason: 'queue_full' });
      return false;
    }
    this.items.push(frames);
    if (!this.writing) void this.write();
    return true;
  }

  /** Resolves when everything queued so far has been handed to ZeroMQ. */
  drain(): Promise<void> {
    if (this.depth === 0 && !this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  close(): void {
    this.closed = true;
  }

  private async write(): Promise<void> {
    this.writing = true;
    const labels = { stream: this.stream };
    // Counted in bulk: a labelled counter increment per message cost as much as a small send.
    let sent = 0;
    try {
      while (this.head < this.items.length && !this.sock.closed) {
        const msg = this.items[this.head]!;
        this.items[this.head++] = undefined as unknown as Frames;
        try {
          await this.sock.send(msg);
          if (++sent === 256) {
            this.m.sent.inc(labels, sent);
            sent = 0;
          }
        } catch (e) {
          const code = (e as { code?: string }).code ?? 'EUNKNOWN';
          this.m.sendDropped.inc({ stream: this.stream, reason: code === 'EAGAIN' ? 'hwm' : code === 'EHOSTUNREACH' ? 'unroutable' : 'closed' });
          this.onSendError(code);
        }
        if (this.head > 1024 && this.head * 2 > this.items.length) {
          this.items = this.items.slice(this.head);
          this.head = 0;
        }
      }
    } finally {
      if (sent > 0) this.m.sent.inc(labels, sent);
      this.writing = false;
      this.m.queueDepth.set(labels, this.depth);
      if (this.depth === 0 || this.sock.closed) {
        this.items = [];
        this.head = 0;
        for (const r of this.idle.splice(0)) r();
      }
    }
  }
}
