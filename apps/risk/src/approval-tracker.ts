import type { Logger } from '@hft/logging';
import { envelope, type MessageInput } from '@hft/messages';
import { counter, gauge } from '@hft/metrics';

type Approved = MessageInput<'OrderApproved'> & { eventId: string };

export interface TrackerOptions {
  /** Resend an approval the OMS has not acknowledged after this long. */
  resendAfterMs: number;
  /** Give up after this many sends: the strategy gets an OrderRejected, working quantity is released. */
  maxAttempts: number;
  capacity: number;
}

/**
 * ZeroMQ does not persist messages: an approval in flight when the OMS dies is gone. Risk keeps
 * every approval until the OMS acknowledges it (OrderSubmitted, after the ledger commit) and resends
 * it otherwise; the OMS is idempotent on clientOrderId, so a resend never becomes a second order.
 */
export class ApprovalTracker {
  private readonly pending = new Map<string, { msg: Approved; sentAt: number; attempts: number }>();
  private readonly timer: NodeJS.Timeout;
  private readonly resends = counter({ name: 'hft_risk_resends_total', help: 'Approvals sent to the OMS again because no acknowledgement came back' });
  private readonly gaveUp = counter({ name: 'hft_risk_approvals_abandoned_total', help: 'Approvals given up after the maximum number of sends (OMS unreachable)' });
  private readonly depth = gauge({ name: 'hft_risk_unacknowledged_approvals', help: 'Approvals sent to the OMS and not acknowledged yet' });

  constructor(
    private readonly send: (m: Approved) => boolean,
    private readonly giveUp: (m: Approved, why: MessageInput<'OrderRejected'>) => void,
    private readonly log: Logger,
    private readonly o: TrackerOptions,
  ) {
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.floor(o.resendAfterMs / 4)));
    this.timer.unref();
  }

  private static key(strategyId: string, clientOrderId: string): string {
    return `${strategyId}\u0000${clientOrderId}`;
  }

  /** Send an approval and keep it until acknowledged; false when too many are outstanding. */
  approve(m: Approved): boolean {
    if (this.pending.size >= this.o.capacity) return false;
    this.pending.set(ApprovalTracker.key(m.strategyId, m.clientOrderId), { msg: m, sentAt: Date.now(), attempts: 1 });
    this.depth.set(this.pending.size);
    this.send(m);
    return true;
  }

  acknowledged(strategyId: string, clientOrderId: string): void {
    this.pending.delete(ApprovalTracker.key(strategyId, clientOrderId));
    this.depth.set(this.pending.size);
  }

  get outstanding(): number {
    return this.pending.size;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [k, p] of this.pending) {
      if (now - p.sentAt < this.o.resendAfterMs) continue;
      if (p.attempts >= this.o.maxAttempts) {
        this.pending.delete(k);
        this.gaveUp.inc();
        this.log.error({ strategy: p.msg.strategyId, clientOrderId: p.msg.clientOrderId, attempts: p.attempts }, 'OMS never acknowledged the order: rejecting it');
        this.giveUp(p.msg, {
          type: 'OrderRejected',
          ...envelope(p.msg),
          strategyId: p.msg.strategyId,
          clientOrderId: p.msg.clientOrderId,
          symbol: p.msg.symbol,
          orderId: null,
          code: 'OMS_UNREACHABLE',
          reason: `the OMS did not acknowledge the order after ${p.attempts} sends`,
        });
        continue;
      }
      p.attempts++;
      p.sentAt = now;
      this.resends.inc();
      this.send(p.msg);
    }
    this.depth.set(this.pending.size);
  }

  close(): void {
    clearInterval(this.timer);
  }
}
