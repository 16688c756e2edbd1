import { encodeMessageText, ORDER_EVENT_TYPES, parseMessage } from '@hft/messages';
import type { LedgerRecord, NewOrderRow } from '@hft/orders';
import type { JournalEntry } from './journal.js';

/** A ledger record as journaled: its lsn and, for an event, the event's wire JSON (published and ledgered as is). */
export interface Journaled {
  lsn: number;
  record: LedgerRecord;
  wire: string | null;
}

/**
 * A record's journal text. An event's wire JSON is made once and spliced in: the same text is
 * published, journaled and stored as the ledger's payload.
 */
export function encodeRecord(r: LedgerRecord): { text: string; wire: string | null } {
  if (r.kind === 'order') {
    const o = r.order;
    return { text: JSON.stringify({ kind: 'order', order: { ...o, tsTick: o.tsTick?.toString() ?? null, tsEvent: o.tsEvent.toString() } }), wire: null };
  }
  const wire = encodeMessageText(r.event);
  const meta = JSON.stringify({ kind: 'event', orderId: r.orderId, orderSeq: r.orderSeq, projection: r.projection, position: r.position });
  return { text: `${meta.slice(0, -1)},"event":${wire}}`, wire };
}

export function decodeRecord(e: JournalEntry): Journaled {
  const raw = JSON.parse(e.text) as { kind: 'order'; order: Record<string, unknown> } | ({ kind: 'event'; event: unknown } & Omit<Extract<LedgerRecord, { kind: 'event' }>, 'event'>);
  if (raw.kind === 'order') {
    const o = raw.order;
    const order = { ...o, tsTick: o['tsTick'] === null ? null : BigInt(o['tsTick'] as string), tsEvent: BigInt(o['tsEvent'] as string) } as NewOrderRow;
    return { lsn: e.lsn, record: { kind: 'order', order }, wire: null };
  }
  const ev = parseMessage(raw.event, ORDER_EVENT_TYPES);
  if (!ev.ok) throw new Error(`journal record ${e.lsn}: ${ev.reason}: ${ev.detail}`);
  return { lsn: e.lsn, record: { kind: 'event', event: ev.value, orderId: raw.orderId, orderSeq: raw.orderSeq, projection: raw.projection, position: raw.position }, wire: JSON.stringify(raw.event) };
}
