import type pg from 'pg';
import type { ConditionalStatus } from '@hft/messages';
import type { ConditionalChange, ConditionalRecord, TriggerDirection, TriggerSource } from '@hft/triggers';
import type { JournalEntry } from './journal.js';

/** A record of the trigger engine's journal: a change (with the event published for it) or a trailing mark. */
export type ConditionalEntry =
  | { lsn: number; kind: 'change'; id: string; strategyId: string; version: number; change: ConditionalChange; seq: number; eventType: string; tsEvent: string; wire: string }
  | { lsn: number; kind: 'trail'; symbol: string; source: TriggerSource; direction: TriggerDirection; price: number };

/** The journal text of an entry: the event's wire JSON spliced in as published. */
export function encodeConditionalEntry(e: Omit<Extract<ConditionalEntry, { kind: 'change' }>, 'lsn'> | Omit<Extract<ConditionalEntry, { kind: 'trail' }>, 'lsn'>): string {
  if (e.kind === 'trail') return JSON.stringify(e);
  const { wire, ...meta } = e;
  return `${JSON.stringify(meta).slice(0, -1)},"wire":${wire}}`;
}

export function decodeConditionalEntry(j: JournalEntry): ConditionalEntry {
  const raw = JSON.parse(j.text) as Record<string, unknown>;
  if (raw['kind'] === 'trail') return { lsn: j.lsn, ...(raw as Omit<Extract<ConditionalEntry, { kind: 'trail' }>, 'lsn'>) };
  const { wire, ...meta } = raw;
  return { lsn: j.lsn, ...(meta as Omit<Extract<ConditionalEntry, { kind: 'change' }>, 'lsn' | 'wire'>), wire: JSON.stringify(wire) };
}

export interface ConditionalRow {
  conditional_id: string;
  strategy_id: string;
  symbol: string;
  status: ConditionalStatus;
  record: ConditionalRecord;
  created_at: Date;
  updated_at: Date;
}

/**
 * The conditional orders' tables: a batch of journal entries is one statement: the events appended,
 * each touched order's record upserted as the OMS holds it now (never older than the row: `version`),
 * and the journal checkpoint, together or not at all.
 */
export class ConditionalLedger {
  constructor(private readonly pool: pg.Pool) {}

  async load(limit: number): Promise<{ ledgerId: string; journalLsn: number; heads: Map<string, number>; records: ConditionalRecord[] }> {
    const cp = (await this.pool.query<{ ledger_id: string; journal_lsn: string }>('SELECT ledger_id::text, journal_lsn::text FROM conditional_checkpoint WHERE id = 1')).rows[0]!;
    const heads = new Map((await this.pool.query<{ strategy_id: string; head: string }>('SELECT strategy_id, max(stream_seq)::text AS head FROM conditional_events GROUP BY strategy_id')).rows.map((r) => [r.strategy_id, Number(r.head)]));
    // Open orders all; finished ones as far as memory goes (their ids stay refused as duplicates).
    const rows = await this.pool.query<{ record: ConditionalRecord }>(
      `(SELECT record FROM conditional_orders WHERE status IN ('Pending', 'Triggered', 'Armed'))
       UNION ALL (SELECT record FROM conditional_orders WHERE status NOT IN ('Pending', 'Triggered', 'Armed') ORDER BY updated_at DESC LIMIT $1)`,
      [limit],
    );
    return { ledgerId: cp.ledger_id, journalLsn: Number(cp.journal_lsn), heads, records: rows.rows.map((r) => r.record) };
  }

  /** `current`: the record as held now for each order the batch touched. */
  async write(entries: readonly ConditionalEntry[], current: (ids: ReadonlySet<string>, symbols: ReadonlySet<string>) => ConditionalRecord[]): Promise<void> {
    const events: string[] = [];
    const ids = new Set<string>();
    const symbols = new Set<string>();
    let lsn = 0;
    for (const e of entries) {
      lsn = e.lsn;
      if (e.kind === 'trail') {
        symbols.add(e.symbol);
        continue;
      }
      ids.add(e.id);
      events.push(`${JSON.stringify({ strategy_id: e.strategyId, stream_seq: e.seq, conditional_id: e.id, event_type: e.eventType, ts_event: e.tsEvent }).slice(0, -1)},"payload":${e.wire}}`);
    }
    const records = current(ids, symbols).map((r) => ({ conditional_id: r.spec.id, strategy_id: r.spec.strategyId, symbol: r.spec.symbol, status: r.status, record: r, version: r.version }));
    const doc = `{"records":${JSON.stringify(records)},"events":[${events.join(',')}]}`;
    await this.pool.query(
      `WITH doc AS (SELECT $1::jsonb AS d),
       ev AS (
         INSERT INTO conditional_events (strategy_id, stream_seq, conditional_id, event_type, payload, ts_event)
         SELECT x.strategy_id, x.stream_seq, x.conditional_id, x.event_type, x.payload, x.ts_event
         FROM doc, jsonb_to_recordset(doc.d->'events') AS x(strategy_id text, stream_seq bigint, conditional_id text, event_type text, payload jsonb, ts_event bigint)
         ON CONFLICT DO NOTHING
       ), re AS (
         INSERT INTO conditional_orders (conditional_id, strategy_id, symbol, status, record, version)
         SELECT x.conditional_id, x.strategy_id, x.symbol, x.status, x.record, x.version
         FROM doc, jsonb_to_recordset(doc.d->'records') AS x(conditional_id text, strategy_id text, symbol text, status text, record jsonb, version int)
         ON CONFLICT (conditional_id) DO UPDATE SET status = EXCLUDED.status, record = EXCLUDED.record, version = EXCLUDED.version, updated_at = now()
           WHERE conditional_orders.version <= EXCLUDED.version
       )
       UPDATE conditional_checkpoint SET journal_lsn = GREATEST(journal_lsn, $2) WHERE id = 1`,
      [doc, lsn],
    );
  }

  async get(id: string): Promise<ConditionalRow | undefined> {
    const r = await this.pool.query<ConditionalRow>('SELECT conditional_id, strategy_id, symbol, status, record, created_at, updated_at FROM conditional_orders WHERE conditional_id = $1', [id]);
    return r.rows[0];
  }

  async list(f: { strategy?: string; status?: string; symbol?: string; limit: number }): Promise<ConditionalRow[]> {
    const parts: string[] = [];
    const args: unknown[] = [];
    if (f.strategy) parts.push(`strategy_id = $${args.push(f.strategy)}`);
    if (f.status) parts.push(`status = $${args.push(f.status)}`);
    if (f.symbol) parts.push(`symbol = $${args.push(f.symbol)}`);
    const r = await this.pool.query<ConditionalRow>(
      `SELECT conditional_id, strategy_id, symbol, status, record, created_at, updated_at FROM conditional_orders ${parts.length ? `WHERE ${parts.join(' AND ')}` : ''} ORDER BY created_at DESC, conditional_id LIMIT ${f.limit}`,
      args,
    );
    return r.rows;
  }

  /** One order's events as published, oldest first. */
  async events(id: string): Promise<unknown[]> {
    const r = await this.pool.query<{ payload: unknown }>('SELECT payload FROM conditional_events WHERE conditional_id = $1 ORDER BY stream_seq', [id]);
    return r.rows.map((x) => x.payload);
  }

  /** The child order of a part as the order ledger holds it (after a restart, for a child whose end the trigger engine missed). */
  async childOrder(strategyId: string, clientOrderId: string): Promise<{ status: string; cumQty: number; reason: string | null } | undefined> {
    const r = await this.pool.query<{ status: string; cum_qty: number; reason: string | null }>('SELECT status, cum_qty::float8 AS cum_qty, reason FROM orders WHERE strategy_id = $1 AND client_order_id = $2', [strategyId, clientOrderId]);
    const x = r.rows[0];
    return x && { status: x.status, cumQty: x.cum_qty, reason: x.reason };
  }
}
