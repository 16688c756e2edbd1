import { RISK_CHECKS } from '@hft/messages';
import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export function riskMetrics() {
  const m = {
    checks: counter({ name: 'hft_risk_checks_total', help: 'Pre-trade checks run, by mode (submit, check) and result (approved, denied)', labelNames: ['mode', 'result'] }),
    denials: counter({ name: 'hft_risk_denials_total', help: 'Orders denied, by the check that failed', labelNames: ['check'] }),
    latency: histogram({ name: 'hft_risk_check_seconds', help: 'Time to decide one order (in memory; Redis is written behind)', buckets: LATENCY_BUCKETS }),
    cancels: counter({ name: 'hft_risk_cancels_forwarded_total', help: 'Cancel commands forwarded to the OMS' }),
    cancelsOfDenied: counter({ name: 'hft_risk_cancels_of_denied_total', help: 'Cancels of orders risk had denied (the denial ended them): not forwarded' }),
    voided: counter({ name: 'hft_risk_approvals_voided_total', help: 'Approvals the OMS never showed as submitted, voided with a cancel (after a restart, or past the approval timeout)', labelNames: ['why'] }),
    events: counter({ name: 'hft_risk_order_events_total', help: 'Order events applied from the OMS stream, by type', labelNames: ['type'] }),
    persistLag: gauge({ name: 'hft_risk_persist_lag_seconds', help: 'Age of the oldest risk state change not yet in Redis' }),
    persistPending: gauge({ name: 'hft_risk_persist_pending', help: 'Risk state changes waiting to be written to Redis' }),
    killSwitch: gauge({ name: 'hft_risk_kill_switch_engaged', help: '1 while a kill-switch is engaged, by scope and target', labelNames: ['scope', 'target'] }),
    redisUp: gauge({ name: 'hft_risk_redis_up', help: '1 when the risk state store (Redis) is reachable' }),
    ready: gauge({ name: 'hft_risk_ready', help: '1 once risk has loaded its state and caught up with the order-event stream (it denies everything before)' }),
    forwardRefused: counter({ name: 'hft_risk_forward_refused_total', help: 'Approved orders that could not be handed to the OMS (queue full)' }),
  };
  for (const check of RISK_CHECKS) m.denials.inc({ check }, 0);
  for (const mode of ['submit', 'check']) for (const result of ['approved', 'denied']) m.checks.inc({ mode, result }, 0);
  for (const why of ['restart', 'timeout']) m.voided.inc({ why }, 0);
  m.killSwitch.set({ scope: 'global', target: '' }, 0);
  return m;
}
export type RiskMetrics = ReturnType<typeof riskMetrics>;
