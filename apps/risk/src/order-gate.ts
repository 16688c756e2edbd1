import type { Logger } from '@hft/logging';
import { envelope, type CancelOrder, type CheckOrder, type MessageInput, type OrderCheckResult, type OrderDenied, type SubmitOrder } from '@hft/messages';
import type { ReferencePrices } from './reference-prices.js';
import type { RiskMetrics } from './risk-metrics.js';
import type { CheckResult, RiskStore } from './risk-store.js';

export interface GateOutputs {
  /** Forward an approved order (or a cancel) to the OMS; false when the queue is full. */
  toOms(msg: MessageInput<'OrderApproved'> | MessageInput<'CancelOrder'>): boolean;
  /** Send a denial back to the strategy. */
  toStrategy(msg: MessageInput<'OrderDenied'>): void;
  /** An engaged kill-switch covering this strategy/symbol (in-process view, updated synchronously). */
  halted?(strategyId: string, symbol: string): { scope: string; target: string | null; actor: string; reason: string } | null;
}

const noop = (): void => undefined;
/** ioredis refused the command without sending it (offline queue off): nothing ran in Redis. */
const neverSent = (e: unknown): boolean => e instanceof Error && e.message.includes("Stream isn't writeable");

function timeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e as Error)),
    );
  });
}

/**
 * The only path from strategies to the OMS. Every SubmitOrder is checked atomically in Redis; if the
 * state store cannot answer (down, slow) the order is denied with the reason: risk fails closed.
 */
export class OrderGate {
  constructor(
    private readonly store: RiskStore,
    private readonly refs: ReferencePrices,
    private readonly out: GateOutputs,
    private readonly m: RiskMetrics,
    private readonly log: Logger,
    private readonly timeoutMs: number,
  ) {
    this.releaseTimer = setInterval(() => void this.releaseLate(), 500);
    this.releaseTimer.unref();
  }

  private readonly toRelease = new Map<string, SubmitOrder | CheckOrder>(); // only submits reserve
  private releasing = false;
  private readonly releaseTimer: NodeJS.Timeout;

  private async run(mode: 'submit' | 'check', o: SubmitOrder | CheckOrder): Promise<CheckResult> {
    const t0 = performance.now();
    let r: CheckResult;
    const pending = this.store.check({
      mode,
      strategy: o.strategyId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      side: o.side,
      qty: o.quantity,
      price: o.orderType === 'market' ? null : o.price,
      reference: this.refs.get(o.symbol),
    });
    try {
      r = await timeout(pending, this.timeoutMs);
    } catch (e) {
      this.m.stateErrors.inc({ op: 'check' });
      // A slow script still runs, and one whose reply was lost may have run before ioredis resends
      // it (the resend then fails as a duplicate): once it has settled, release whatever it reserved
      // for this order, which was denied and will never exist.
      if (mode === 'submit' && !neverSent(e)) void pending.then(noop, noop).then(() => this.toRelease.set(`${o.strategyId}\u0000${o.clientOrderId}`, o));
      r = { ok: false, check: 'risk_state_unavailable', reason: `risk state (Redis) unavailable, failing closed: ${(e as Error).message}`, values: {} };
    }
    this.m.latency.observe((performance.now() - t0) / 1000);
    this.m.checks.inc({ mode, result: r.ok ? 'approved' : 'denied' });
    if (!r.ok) this.m.denials.inc({ check: r.check ?? 'unknown' });
    return r;
  }

  /** Release the reservations of denied orders whose checks may have run; kept while Redis is away. */
  private async releaseLate(): Promise<void> {
    if (this.releasing || !this.toRelease.size || !this.store.up) return;
    this.releasing = true;
    try {
      for (const [k, o] of this.toRelease) {
        const released = await this.store.done(o.strategyId, o.symbol, o.clientOrderId);
        this.toRelease.delete(k);
        if (released > 0) {
          this.m.lateReleased.inc();
          this.log.warn({ strategy: o.strategyId, clientOrderId: o.clientOrderId, released }, 'a denied order reserved working quantity after its check was given up on: released');
        }
      }
    } catch {
      // Redis went away again: the rest stay queued for the next pass.
    } finally {
      this.releasing = false;
    }
  }

  close(): void {
    clearInterval(this.releaseTimer);
  }

  async submit(o: SubmitOrder): Promise<CheckResult> {
    let r = await this.run('submit', o);
    const halt = r.ok ? this.out.halted?.(o.strategyId, o.symbol) : null;
    if (halt) {
      // The switch was engaged while Redis was answering: release the reservation, deny.
      await this.store.done(o.strategyId, o.symbol, o.clientOrderId).catch(() => 0);
      this.m.denials.inc({ check: 'kill_switch' });
      r = { ok: false, check: 'kill_switch', reason: `kill-switch engaged (${halt.scope}${halt.target ? ` ${halt.target}` : ''}) by ${halt.actor}: ${halt.reason}`, values: { scope: halt.scope, target: halt.target ?? '', actor: halt.actor } };
    }
    if (r.ok) {
      const { type: _t, eventId: _e, tsInit: _i, causationId: _c, seq: _s, ...fields } = o;
      if (!this.out.toOms({ type: 'OrderApproved', ...envelope(o, o.tsEvent), ...fields })) {
        this.m.forwardRefused.inc();
        // The order never reaches the OMS: release what the check reserved and tell the strategy.
        await this.store.done(o.strategyId, o.symbol, o.clientOrderId).catch(() => 0);
        this.deny(o, { ok: false, check: 'oms_unavailable', reason: 'the OMS is not taking orders (queue to it is full)', values: {} });
      }
      return r;
    }
    this.deny(o, r);
    return r;
  }

  private deny(o: SubmitOrder, r: CheckResult): void {
    const denial: MessageInput<'OrderDenied'> = {
      type: 'OrderDenied',
      ...envelope(o),
      strategyId: o.strategyId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      check: r.check ?? 'unknown',
      reason: r.reason ?? '',
      values: r.values as OrderDenied['values'],
    };
    this.out.toStrategy(denial);
    this.log.info({ strategy: o.strategyId, clientOrderId: o.clientOrderId, check: denial.check, reason: denial.reason }, 'order denied');
  }

  /** Synchronous check for any client: nothing is reserved or counted against the order. */
  async check(o: CheckOrder): Promise<MessageInput<'OrderCheckResult'>> {
    const r = await this.run('check', o);
    return {
      type: 'OrderCheckResult',
      ...envelope(o),
      strategyId: o.strategyId,
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      approved: r.ok,
      check: r.check ?? null,
      reason: r.reason ?? null,
      values: r.values as OrderCheckResult['values'],
    };
  }

  /** Cancels reduce risk: always forwarded, never checked (even with the kill-switch engaged). */
  cancel(c: CancelOrder): void {
    this.m.cancels.inc();
    const { type: _t, eventId: _e, tsInit: _i, causationId: _c, seq: _s, ...fields } = c;
    this.out.toOms({ type: 'CancelOrder', ...envelope(c, c.tsEvent), ...fields });
  }
}
