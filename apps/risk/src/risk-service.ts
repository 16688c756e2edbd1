import type { Logger } from '@hft/logging';
import { DenyCode, envelope, nowNs, RecentIds, ReplaceRejectCode, type ReplaceOrder, type CancelOrder, type CheckOrder, type MessageInput, type OrderCheckResult, type OrderDenied, type OrderEvent, type SubmitOrder } from '@hft/messages';
import type { Decision, RiskEngine } from './risk-engine.js';
import type { RiskMetrics } from './risk-metrics.js';
import type { RiskPersistence } from './risk-persistence.js';
import type { ReferencePrices } from './reference-prices.js';

export interface RiskLinks {
  /** Forward to the OMS; false when its queue is full. */
  toOms(msg: MessageInput<'OrderApproved'> | MessageInput<'CancelOrder'> | MessageInput<'ReplaceOrder'>): boolean;
  /** Answer the strategy that sent the order. */
  toStrategy(msg: MessageInput<'OrderDenied'> | MessageInput<'OrderReplaceRejected'>): void;
}

/**
 * The only path from strategies to the OMS. Each SubmitOrder is decided in memory and at once (the
 * engine), so orders and cancels leave in the order they came. Risk fails closed: until it has loaded
 * its state and caught up with the order-event stream, and whenever Redis is away or persistence lags
 * past its bounds, every order is denied with `risk_state_unavailable`.
 */
export class RiskService {
  private ready = false;
  private loaded = false;
  private readonly voided = new Set<string>();
  /** Orders denied here: they can never reach the OMS, so a cancel of one is answered here too. */
  private readonly denied = new RecentIds(100_000);

  constructor(
    private readonly engine: RiskEngine,
    private readonly store: RiskPersistence,
    private readonly refs: ReferencePrices,
    private readonly links: RiskLinks,
    private readonly m: RiskMetrics,
    private readonly log: Logger,
  ) {}

  /** State loaded from Redis: the risk officer's changes can be taken (they would be overwritten before). */
  markLoaded(): void {
    this.loaded = true;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** State loaded and the order-event stream caught up: decisions may be made. */
  markReady(): void {
    this.ready = true;
    this.m.ready.set(1);
  }

  get isReady(): boolean {
    return this.ready;
  }

  private decide(o: SubmitOrder | CheckOrder, reserve: boolean): Decision {
    const t0 = performance.now();
    const health = this.ready ? this.store.health() : ({ ok: false, why: 'risk is starting: loading its state and catching up with the order-event stream' } as const);
    const d: Decision = health.ok
      ? this.engine.check({ strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, quantity: o.quantity, price: o.orderType === 'market' ? null : o.price }, this.refs.get(o.symbol), reserve)
      : { ok: false, code: DenyCode.RiskStateUnavailable, reason: `failing closed: ${health.why}`, values: {} };
    this.m.latency.observe((performance.now() - t0) / 1000);
    this.m.checks.inc({ mode: reserve ? 'submit' : 'check', result: d.ok ? 'approved' : 'denied' });
    if (!d.ok) this.m.denials.inc({ check: d.code! });
    return d;
  }

  /** `receivedAt`: when the order reached this process (its riskIn stamp). */
  submit(o: SubmitOrder, receivedAt: bigint | null = null): void {
    const d = this.decide(o, true);
    if (!d.ok) return this.deny(o, d);
    const { type: _t, eventId: _e, tsInit: _i, causationId: _c, seq: _s, stamps, ...fields } = o;
    const stamped = stamps ? { stamps: { ...stamps, ...(receivedAt === null ? {} : { riskIn: receivedAt }), riskOut: nowNs() } } : {};
    if (!this.links.toOms({ type: 'OrderApproved', ...envelope(o, o.tsEvent), ...fields, ...stamped })) {
      // It never reaches the OMS: nothing is held for it.
      this.m.forwardRefused.inc();
      this.engine.release(o.strategyId, o.clientOrderId);
      this.deny(o, { ok: false, code: DenyCode.OmsUnavailable, reason: 'the OMS is not taking orders (queue to it is full)', values: {} });
    }
  }

  private deny(o: SubmitOrder, d: Decision): void {
    if (d.code !== DenyCode.DuplicateClientOrderId) this.denied.add(`${o.strategyId}\u0000${o.clientOrderId}`);
    const denial: MessageInput<'OrderDenied'> = { type: 'OrderDenied', ...envelope(o), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: null, code: d.code!, reason: d.reason ?? '', values: d.values as OrderDenied['values'] };
    this.links.toStrategy(denial);
  }

  /**
   * Cancels reduce risk: always forwarded, never checked (even with the kill-switch engaged), except a
   * cancel of an order denied here (sent before the denial arrived): the denial already ended it.
   */
  cancel(c: CancelOrder): void {
    if (this.denied.has(`${c.strategyId}\u0000${c.clientOrderId}`)) {
      this.m.cancelsOfDenied.inc();
      return;
    }
    this.m.cancels.inc();
    const { type: _t, eventId: _e, tsInit: _i, causationId: _c, seq: _s, ...fields } = c;
    this.links.toOms({ type: 'CancelOrder', ...envelope(c, c.tsEvent), ...fields });
  }

  /**
   * A replace is a new risk decision on the new terms (kill-switch, band, size, notional, position with
   * the order's working quantity swapped for the new one). Approved: forwarded to the OMS. Refused:
   * OrderReplaceRejected straight back to the sender; the order works on as it was.
   */
  replace(r: ReplaceOrder): void {
    const health = this.ready ? this.store.health() : ({ ok: false, why: 'risk is starting: loading its state and catching up with the order-event stream' } as const);
    const d: Decision = health.ok
      ? this.engine.checkReplace({ strategyId: r.strategyId, clientOrderId: r.clientOrderId, symbol: r.symbol, quantity: r.quantity, price: r.price }, this.refs.get(r.symbol))
      : { ok: false, code: DenyCode.RiskStateUnavailable, reason: `failing closed: ${health.why}`, values: {} };
    this.m.checks.inc({ mode: 'replace', result: d.ok ? 'approved' : 'denied' });
    const refuse = (code: DenyCode, reason: string): void => {
      this.m.denials.inc({ check: code });
      this.links.toStrategy({ type: 'OrderReplaceRejected', ...envelope(r), strategyId: r.strategyId, clientOrderId: r.clientOrderId, symbol: r.symbol, orderId: r.orderId ?? null, price: r.price, quantity: r.quantity, code: ReplaceRejectCode.DeniedByRisk, denyCode: code, reason });
    };
    if (!d.ok) return refuse(d.code!, d.reason ?? '');
    const { type: _t, eventId: _e, tsInit: _i, causationId: _c, seq: _s, ...fields } = r;
    if (!this.links.toOms({ type: 'ReplaceOrder', ...envelope(r, r.tsEvent), ...fields })) refuse(DenyCode.OmsUnavailable, 'the OMS is not taking orders (queue to it is full)');
  }

  /** Synchronous check for any client: nothing is reserved or counted against the order. */
  check(o: CheckOrder): MessageInput<'OrderCheckResult'> {
    const d = this.decide(o, false);
    return { type: 'OrderCheckResult', ...envelope(o), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, approved: d.ok, code: d.code ?? null, reason: d.reason ?? null, values: d.values as OrderCheckResult['values'] };
  }

  onOrderEvent(e: OrderEvent): void {
    this.engine.onOrderEvent(e);
    this.voided.delete(`${e.strategyId}\u0000${e.clientOrderId}`);
    this.m.events.inc({ type: e.type });
  }

  /**
   * Approvals the OMS has not shown as submitted: after a restart (their approval may have died with
   * the previous process) or past the timeout (lost on the way). A cancel voids each: the OMS cancels
   * the order if it has it, or refuses it for ever if it has not; either way the stream says so and the
   * reservation is released then.
   */
  voidUnsubmitted(why: 'restart' | 'timeout', olderThanMs: number): number {
    const before = Date.now() - olderThanMs;
    let n = 0;
    for (const r of this.engine.unsubmitted(why === 'restart' ? Infinity : before)) {
      const key = `${r.strategy}\u0000${r.clientOrderId}`;
      if (this.voided.has(key)) continue;
      const sent = this.links.toOms({ type: 'CancelOrder', ...envelope(), strategyId: r.strategy, clientOrderId: r.clientOrderId, symbol: r.symbol, reason: why === 'restart' ? 'approved before a risk restart, not seen submitted' : 'approved but not seen submitted in time' });
      if (!sent) continue;
      this.voided.add(key);
      this.m.voided.inc({ why });
      n++;
    }
    if (n) this.log.warn({ why, voided: n }, 'voided approvals the OMS has not shown as submitted');
    return n;
  }

  exportGauges(): void {
    const l = this.store.lag();
    this.m.persistLag.set(l.ms / 1000);
    this.m.persistPending.set(l.pending);
    this.m.redisUp.set(this.store.up ? 1 : 0);
  }
}
