import { counter } from '@hft/metrics';
import { decodeMessage, DROP_REASONS, type Decoded, type Drop, type Message, type MessageType } from '@hft/messages';
import type { Logger } from 'pino';

/**
 * Turns a malformed frame into a counted, logged drop, never a crash: every receive path runs its
 * decoder through `accept`. Log lines are rate-limited per reason so a flood cannot drown the log.
 */
export class FrameGuard {
  private readonly dropped = counter({
    name: 'hft_messages_dropped_total',
    help: 'Received frames dropped because they failed decoding/validation, by stream and reason',
    labelNames: ['stream', 'reason'],
  });
  private readonly lastLog = new Map<string, number>();

  constructor(
    readonly stream: string,
    private readonly log: Logger,
    private readonly logEveryMs = 1000,
  ) {
    for (const reason of DROP_REASONS) this.dropped.inc({ stream, reason }, 0);
  }

  /** The decoded value, or undefined after counting and logging the drop. */
  accept<T>(result: Decoded<T>, context: Record<string, unknown> = {}): T | undefined {
    if (result.ok) return result.value;
    this.reject(result, context);
    return undefined;
  }

  /** Decode a JSON message frame, optionally restricted to `expected` types. */
  json<T extends MessageType>(frame: Buffer, expected?: readonly T[], context: Record<string, unknown> = {}): Extract<Message, { type: T }> | undefined {
    return this.accept(decodeMessage(frame, expected), context);
  }

  reject(d: Drop, context: Record<string, unknown> = {}): void {
    this.dropped.inc({ stream: this.stream, reason: d.reason });
    const now = Date.now();
    if (now - (this.lastLog.get(d.reason) ?? 0) >= this.logEveryMs) {
      this.lastLog.set(d.reason, now);
      this.log.warn({ stream: this.stream, reason: d.reason, detail: d.detail, ...context }, 'dropped malformed frame');
    }
  }
}
