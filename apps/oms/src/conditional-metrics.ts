import { CONDITIONAL_EVENT_TYPES, CONDITIONAL_REFUSE_CODES } from '@hft/messages';
import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export function conditionalMetrics() {
  const m = {
    open: gauge({ name: 'hft_oms_conditional_open', help: 'Conditional orders still open (Pending, Triggered or Armed)' }),
    events: counter({ name: 'hft_oms_conditional_events_total', help: 'Conditional-order events published, by type', labelNames: ['type'] }),
    refusals: counter({ name: 'hft_oms_conditional_refusals_total', help: 'Conditional-order commands refused (place, modify, cancel), by code', labelNames: ['code'] }),
    released: counter({ name: 'hft_oms_conditional_released_total', help: 'Children of triggered conditional orders sent to risk, by result (sent, queue_full: sent again later)', labelNames: ['result'] }),
    resent: counter({ name: 'hft_oms_conditional_resent_total', help: 'Released children sent again because the OMS had not seen them (lost, or risk\'s queue was full)' }),
    backlog: gauge({ name: 'hft_oms_conditional_backlog', help: 'Conditional journal records not yet committed to Postgres' }),
    checkSeconds: histogram({ name: 'hft_oms_conditional_check_seconds', help: 'Trigger check per trade tick (index lookups, not a scan of the orders)', buckets: LATENCY_BUCKETS }),
  };
  for (const type of CONDITIONAL_EVENT_TYPES) m.events.inc({ type }, 0);
  for (const code of CONDITIONAL_REFUSE_CODES) m.refusals.inc({ code }, 0);
  for (const result of ['sent', 'queue_full']) m.released.inc({ result }, 0);
  return m;
}
export type ConditionalMetrics = ReturnType<typeof conditionalMetrics>;
