import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';
import { orderStatus } from '@hft/messages';

export function omsMetrics() {
  const m = {
    transitions: counter({ name: 'hft_oms_orders_total', help: 'Orders entering each status', labelNames: ['status'] }),
    illegal: counter({ name: 'hft_oms_illegal_transitions_total', help: 'Execution reports refused because the transition is illegal (not applied)', labelNames: ['from', 'to'] }),
    duplicates: counter({ name: 'hft_oms_duplicates_total', help: 'Repeated input ignored: orders (same clientOrderId) and reports (same execId)', labelNames: ['kind'] }),
    refused: counter({ name: 'hft_oms_refused_total', help: 'Commands the OMS refused, by reason', labelNames: ['reason'] }),
    writeSeconds: histogram({ name: 'hft_oms_ledger_write_seconds', help: 'Ledger transaction time per batch', labelNames: ['kind'], buckets: LATENCY_BUCKETS }),
    batchSize: histogram({ name: 'hft_oms_ledger_batch_size', help: 'Rows per ledger batch', labelNames: ['kind'], buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] }),
    retries: counter({ name: 'hft_oms_ledger_retries_total', help: 'Ledger batches retried (Postgres unreachable or failing)', labelNames: ['kind'] }),
    bufferDepth: gauge({ name: 'hft_oms_buffer_depth', help: 'Items waiting for the ledger', labelNames: ['kind'] }),
    open: gauge({ name: 'hft_oms_open_orders', help: 'Orders not in a terminal state' }),
    reconcileRuns: counter({ name: 'hft_oms_reconcile_runs_total', help: 'Completed reconciliation passes with the venue, by trigger (startup, periodic, sequence gap)', labelNames: ['why'] }),
    reconciled: counter({ name: 'hft_oms_reconciled_total', help: 'Corrections made by reconciliation with the venue, by kind', labelNames: ['kind'] }),
    unknownReports: counter({ name: 'hft_oms_unknown_reports_total', help: 'Execution reports for orders the OMS does not hold open' }),
  };
  for (const status of orderStatus.options) m.transitions.inc({ status }, 0);
  for (const why of ['startup', 'periodic', 'sequence gap']) m.reconcileRuns.inc({ why }, 0);
  for (const kind of ['orders', 'events']) {
    m.bufferDepth.set({ kind }, 0);
    m.retries.inc({ kind }, 0);
  }
  return m;
}
export type OmsMetrics = ReturnType<typeof omsMetrics>;
