import type { Logger } from '@hft/logging';
import { envelope, type KillSwitchScope, type MessageInput } from '@hft/messages';
import type { KillSwitchState, RiskEngine } from './risk-engine.js';
import type { RiskMetrics } from './risk-metrics.js';
import type { RiskPersistence } from './risk-persistence.js';

export interface KillSwitchChange {
  engaged: boolean;
  scope: KillSwitchScope;
  target: string | null;
  reason: string;
  actor: string;
}

export interface KillSwitchLinks {
  toOms(m: MessageInput<'CancelAllOrders'>): boolean;
  announce(m: MessageInput<'KillSwitchChanged'>): void;
}

/**
 * Latched kill-switch: engaged until someone explicitly releases it. A change takes effect in memory
 * at once (the next check sees it), is persisted and audited in Redis before the caller is answered,
 * then announced on the control stream and, when engaging, sent to the OMS as CancelAllOrders so
 * every working order in scope is canceled.
 */
export class KillSwitch {
  private seq = 0;

  constructor(
    private readonly engine: RiskEngine,
    private readonly store: RiskPersistence,
    private readonly links: KillSwitchLinks,
    private readonly m: RiskMetrics,
    private readonly log: Logger,
  ) {}

  async change(c: KillSwitchChange): Promise<KillSwitchState> {
    const state: KillSwitchState = { ...c, ts: new Date().toISOString() };
    this.engine.setKillSwitch(state);
    this.m.killSwitch.set({ scope: c.scope, target: c.target ?? '' }, c.engaged ? 1 : 0);
    const event = { type: 'KillSwitchChanged' as const, ...envelope(), seq: ++this.seq, scope: c.scope, target: c.target, engaged: c.engaged, reason: c.reason, actor: c.actor };
    if (c.engaged) {
      const sent = this.links.toOms({ type: 'CancelAllOrders', ...envelope(event), scope: c.scope, strategyId: c.scope === 'strategy' ? c.target : null, symbol: c.scope === 'symbol' ? c.target : null, reason: `kill-switch: ${c.reason}` });
      if (!sent) this.log.error({ scope: c.scope, target: c.target }, 'kill-switch engaged but CancelAllOrders could not be queued to the OMS');
    }
    this.links.announce(event);
    this.log.warn({ ...c }, c.engaged ? 'KILL-SWITCH ENGAGED' : 'kill-switch released');
    await this.store.flushed();
    return state;
  }

  /** Re-export the gauges from the loaded state (after a restart). */
  exportGauges(): void {
    for (const s of this.engine.killSwitches.values()) this.m.killSwitch.set({ scope: s.scope, target: s.target ?? '' }, s.engaged ? 1 : 0);
  }
}
