import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export function riskMetrics() {
  return {
    checks: counter({ name: 'hft_risk_checks_total', help: 'Pre-trade checks run, by mode (submit, check) and result (approved, denied)', labelNames: ['mode', 'result'] }),
    denials: counter({ name: 'hft_risk_denials_total', help: 'Orders denied, by the check that failed', labelNames: ['check'] }),
    latency: histogram({ name: 'hft_risk_check_seconds', help: 'Time to run the pre-trade checks of one order (including the Redis round trip)', buckets: LATENCY_BUCKETS }),
    cancels: counter({ name: 'hft_risk_cancels_forwarded_total', help: 'Cancel commands forwarded to the OMS' }),
    fills: counter({ name: 'hft_risk_fills_applied_total', help: 'Fills applied to positions (repeats excluded)' }),
    repeatedFills: counter({ name: 'hft_risk_fills_repeated_total', help: 'Fills seen again (same execId) and not applied twice' }),
    stateErrors: counter({ name: 'hft_risk_state_errors_total', help: 'Redis operations that failed (orders are denied while this happens)', labelNames: ['op'] }),
    killSwitch: gauge({ name: 'hft_risk_kill_switch_engaged', help: '1 while a kill-switch is engaged, by scope and target', labelNames: ['scope', 'target'] }),
    redisUp: gauge({ name: 'hft_risk_redis_up', help: '1 when the risk state store (Redis) is reachable' }),
    forwardRefused: counter({ name: 'hft_risk_forward_refused_total', help: 'Approved orders that could not be handed to the OMS (queue full)' }),
  };
}
export type RiskMetrics = ReturnType<typeof riskMetrics>;
