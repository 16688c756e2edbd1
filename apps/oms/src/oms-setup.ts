import type { InstrumentRegistry, PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import { OrderManager } from '@hft/orders';
import type { Publisher } from '@hft/transport';
import { Journal } from './journal.js';
import { decodeRecord } from './journal-record.js';
import type { Ledger } from './ledger.js';
import type { OmsMetrics } from './oms-metrics.js';
import { OmsService, type OmsLinks } from './oms-service.js';

/**
 * Rebuild the OMS after a start or a crash: memory from the ledger, then the journal's records beyond
 * the ledger's checkpoint (written before the crash, maybe sent, not yet in Postgres) replayed on top
 * and queued for Postgres again.
 */
export async function openOms(o: { settings: PlatformConfig['oms']; journalDir: string; ledger: Ledger; instruments: InstrumentRegistry; stream: Publisher; links: OmsLinks; m: OmsMetrics; log: Logger }): Promise<{ oms: OmsService; manager: OrderManager; journal: Journal; replayed: number }> {
  const s = o.settings;
  const state = await o.ledger.load(o.instruments, s.closed_memory);
  if (state.rebuiltPositions) o.log.warn('positions rebuilt from every fill in the ledger (first start on this schema)');
  const manager = new OrderManager({ instruments: o.instruments, closedMemory: s.closed_memory });
  manager.load({ ...state, open: state.open.map((r) => manager.restoreOrder(r, r)) });
  const { journal, tail } = Journal.open(o.journalDir, state.ledgerId, state.journalLsn, { segmentBytes: s.journal_segment_mb * 1024 * 1024, fsync: s.journal_fsync, fsyncIntervalMs: s.journal_fsync_interval_ms }, (msg, extra) => o.log.warn(extra, msg));
  const oms = new OmsService(manager, journal, o.ledger, o.stream, o.links, o.m, o.log, {
    batchMax: s.batch_max,
    backlogMax: s.buffer_max,
    retryInitialMs: s.retry_initial_ms,
    retryMaxMs: s.retry_max_ms,
    lingerMs: s.ledger_linger_ms,
    recentEvents: s.recent_events,
  });
  oms.replayed(tail.map(decodeRecord));
  return { oms, manager, journal, replayed: tail.length };
}
