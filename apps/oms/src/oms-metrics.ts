import { DENY_CODES, orderStatus } from '@hft/messages';
import { counter, gauge, histogram, LATENCY_BUCKETS } from '@hft/metrics';

export const IGNORED = ['duplicate_approval', 'already_pending_cancel', 'unknown_order', 'duplicate_report', 'illegal', 'overfill', 'wrong_order'] as const;
export const RECONCILE_TRIGGERS = ['startup', 'periodic'] as const;

export function omsMetrics() {
  const m = {
    transitions: counter({ name: 'hft_oms_orders_total', help: 'Orders entering each status', labelNames: ['status'] }),
    events: counter({ name: 'hft_oms_order_events_total', help: 'Order events published on the stream, by type', labelNames: ['type'] }),
    ignored: counter({ name: 'hft_oms_ignored_total', help: 'Input that changed nothing, by why (a repeat, news about an order not open here, a transition the lifecycle refused)', labelNames: ['reason'] }),
    denials: counter({ name: 'hft_oms_denials_total', help: 'Orders the OMS refused (Denied on the stream), by code', labelNames: ['code'] }),
    journalSeconds: histogram({ name: 'hft_oms_journal_append_seconds', help: 'Time to append one input\'s records to the journal (one write, before anything is sent)', buckets: LATENCY_BUCKETS }),
    writeSeconds: histogram({ name: 'hft_oms_ledger_write_seconds', help: 'Postgres time per ledger batch (behind the send)', buckets: LATENCY_BUCKETS }),
    batchSize: histogram({ name: 'hft_oms_ledger_batch_size', help: 'Journal records per ledger batch', buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000] }),
    retries: counter({ name: 'hft_oms_ledger_retries_total', help: 'Ledger batches retried (Postgres unreachable or failing)' }),
    backlog: gauge({ name: 'hft_oms_ledger_backlog', help: 'Journal records not yet committed to Postgres' }),
    renamed: counter({ name: 'hft_oms_ledger_renamed_ids_total', help: 'New orders whose clientOrderId the ledger already held (older than the OMS remembers): ledgered as <id>#<orderId>' }),
    open: gauge({ name: 'hft_oms_open_orders', help: 'Orders not in a terminal state' }),
    reconcileRuns: counter({ name: 'hft_oms_reconcile_runs_total', help: 'Completed reconciliation passes with the venue, by trigger', labelNames: ['why'] }),
    reconciled: counter({ name: 'hft_oms_reconciled_total', help: 'Corrections made by reconciliation with the venue, by kind', labelNames: ['kind'] }),
    replayed: counter({ name: 'hft_oms_journal_replayed_total', help: 'Journal records replayed at start (written before a crash, not yet in Postgres)' }),
  };
  for (const status of orderStatus.options) m.transitions.inc({ status }, 0);
  for (const why of RECONCILE_TRIGGERS) m.reconcileRuns.inc({ why }, 0);
  for (const reason of IGNORED) m.ignored.inc({ reason }, 0);
  for (const code of DENY_CODES) m.denials.inc({ code }, 0);
  return m;
}
export type OmsMetrics = ReturnType<typeof omsMetrics>;
