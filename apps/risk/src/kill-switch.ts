import type { Logger } from '@hft/logging';
import { envelope, topics, encodeMessage, type KillSwitchScope, type MessageInput } from '@hft/messages';
import type { Publisher } from '@hft/transport';
import type { RiskMetrics } from './risk-metrics.js';
import type { KillSwitchState, RiskStore } from './risk-store.js';

export interface KillSwitchChange {
  engaged: boolean;
  scope: KillSwitchScope;
  target: string | null;
  reason: string;
  actor: string;
}

/**
 * Latched kill-switch: engaged until someone explicitly releases it. A change is stored and audited
 * in Redis first (that is what the pre-trade check reads, so new orders stop with the next check),
 * then announced on the control stream and, when engaging, sent to the OMS as CancelAllOrders over
 * the reliable command channel so working orders in scope get canceled.
 */
export class KillSwitch {
  private seq = 0;
  /** Engaged switches, updated before anything is awaited so approvals in flight see them at once. */
  private readonly engaged = new Map<string, KillSwitchState>();

  constructor(
    private readonly store: RiskStore,
    private readonly control: Publisher,
    private readonly toOms: (m: MessageInput<'CancelAllOrders'>) => boolean,
    private readonly m: RiskMetrics,
    private readonly log: Logger,
  ) {}

  async change(c: KillSwitchChange): Promise<KillSwitchState> {
    const state: KillSwitchState = { ...c, ts: new Date().toISOString() };
    this.remember(state);
    await this.store.setKillSwitch(state);
    this.m.killSwitch.set({ scope: c.scope, target: c.target ?? '' }, c.engaged ? 1 : 0);
    const event = envelope();
    this.control.publish(topics.killSwitch, encodeMessage({ type: 'KillSwitchChanged', ...event, seq: ++this.seq, scope: c.scope, target: c.target, engaged: c.engaged, reason: c.reason, actor: c.actor }));
    if (c.engaged) {
      const sent = this.toOms({ type: 'CancelAllOrders', ...envelope(event), scope: c.scope, strategyId: c.scope === 'strategy' ? c.target : null, symbol: c.scope === 'symbol' ? c.target : null, reason: `kill-switch: ${c.reason}` });
      if (!sent) this.log.error({ scope: c.scope, target: c.target }, 'kill-switch engaged but CancelAllOrders could not be queued to the OMS');
    }
    this.log.warn({ ...c }, c.engaged ? 'KILL-SWITCH ENGAGED' : 'kill-switch released');
    return state;
  }

  /**
   * The switch that stops this strategy/symbol, if any. Checked again just before an approval leaves:
   * an order whose Redis check passed a moment before the switch must not follow the CancelAllOrders.
   */
  haltedFor(strategyId: string, symbol: string): KillSwitchState | null {
    return this.engaged.get('global:') ?? this.engaged.get(`strategy:${strategyId}`) ?? this.engaged.get(`symbol:${symbol}`) ?? null;
  }

  private remember(s: KillSwitchState): void {
    const key = `${s.scope}:${s.target ?? ''}`;
    if (s.engaged) this.engaged.set(key, s);
    else this.engaged.delete(key);
  }

  /** Reload the switches from Redis and re-export the gauges (after a restart or reconnect). */
  async refreshGauges(): Promise<void> {
    for (const s of await this.store.killSwitches()) {
      this.remember(s);
      this.m.killSwitch.set({ scope: s.scope, target: s.target ?? '' }, s.engaged ? 1 : 0);
    }
  }
}
