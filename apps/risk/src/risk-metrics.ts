import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

/** Every check that can deny an order (metric label values). */
export const CHECKS = [
  'kill_switch',
  'restricted_symbol',
  'duplicate_client_order_id',
  'message_rate',
  'max_order_qty',
  'reference_price',
  'price_band',
  'max_notional',
  'max_position',
  'daily_loss',
  'limits_unavailable',
  'risk_state_unavailable',
  'oms_unavailable',
] as const;

export function riskMetrics() {
  const m = {
    checks: counter({ name: 'hft_risk_checks_total', help: 'Pre-trade checks run, by mode (submit, check) and result (approved, denied)', labelNames: ['mode', 'result'] }),
    denials: counter({ name: 'hft_risk_denials_total', help: 'Orders denied, by the check that failed', labelNames: ['check'] }),
    latency: histogram({ name: 'hft_risk_check_seconds', help: 'Time to run the pre-trade checks of one order (including the Redis round trip)', buckets: LATENCY_BUCKETS }),
    cancels: counter({ name: 'hft_risk_cancels_forwarded_total', help: 'Cancel commands forwarded to the OMS' }),
    fills: counter({ name: 'hft_risk_fills_applied_total', help: 'Fills applied to positions (repeats excluded)' }),
    repeatedFills: counter({ name: 'hft_risk_fills_repeated_total', help: 'Fills seen again (same execId) and not applied twice' }),
    stateErrors: counter({ name: 'hft_risk_state_errors_total', help: 'Redis operations that failed (orders are denied while this happens)', labelNames: ['op'] }),
    killSwitch: gauge({ name: 'hft_risk_kill_switch_engaged', help: '1 while a kill-switch is engaged, by scope and target', labelNames: ['scope', 'target'] }),
    redisUp: gauge({ name: 'hft_risk_redis_up', help: '1 when the risk state store (Redis) is reachable' }),
    caughtUp: counter({ name: 'hft_risk_caught_up_total', help: 'Fills, order releases and lost approvals (never ledgered) found by reading the OMS ledger after a restart, by kind', labelNames: ['kind'] }),
    lateReleased: counter({ name: 'hft_risk_late_reservations_released_total', help: 'Orders denied because Redis did not answer in time whose check later reserved working quantity anyway: released' }),
    forwardRefused: counter({ name: 'hft_risk_forward_refused_total', help: 'Approved orders that could not be handed to the OMS (queue full)' }),
  };
  for (const check of CHECKS) m.denials.inc({ check }, 0);
  for (const mode of ['submit', 'check']) for (const result of ['approved', 'denied']) m.checks.inc({ mode, result }, 0);
  m.killSwitch.set({ scope: 'global', target: '' }, 0);
  for (const kind of ['fill', 'release', 'lost_approval']) m.caughtUp.inc({ kind }, 0);
  return m;
}
export type RiskMetrics = ReturnType<typeof riskMetrics>;
