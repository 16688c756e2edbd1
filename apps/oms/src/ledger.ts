import pg from 'pg';
import type { KillSwitchScope, OrderStatus, Side } from '@hft/messages';
import { OPEN_STATUSES, type OrderRecord } from './order-state.js';

export type NewOrder = Omit<OrderRecord, 'orderId' | 'status' | 'cumQty' | 'leavesQty' | 'avgPx' | 'lastSeq' | 'forwarded' | 'acked' | 'cancelWanted'> & { payload: unknown; tsEvent: bigint };

export interface LedgerEvent {
  orderId: number;
  seq: number;
  eventType: string;
  /** Venue execution id, or the id of the report/command that caused the event. */
  execId: string | null;
  status: OrderStatus;
  qty: number | null;
  price: number | null;
  payload: unknown;
  tsEvent: bigint;
}

export interface FillRow {
  execId: string;
  orderId: number;
  strategyId: string;
  symbol: string;
  side: Side;
  price: number;
  qty: number;
  fee: number;
  liquidity: 'maker' | 'taker';
  tsEvent: bigint;
}

export interface OrderUpdate {
  orderId: number;
  status: OrderStatus;
  cumQty: number;
  leavesQty: number;
  avgPx: number | null;
  lastSeq: number;
  reason: string | null;
}

export interface OrderFilter {
  symbol?: string;
  strategy?: string;
  status?: string;
  from?: Date;
  to?: Date;
  /** Orders only: changed (status, fills) at or after this time. */
  updatedFrom?: Date;
  /** Orders only: the strategy's id for the order. */
  clientOrderId?: string;
  limit: number;
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
const num = (v: number | null): string | null => (v === null ? null : String(v));

/**
 * The Postgres order ledger. Every write is one statement over column arrays (unnest), with
 * data-modifying CTEs for the tables it touches: a batch of 500 orders is one round trip, atomic.
 */
export class Ledger {
  readonly pool: pg.Pool;
  private nextId = 0;
  private endId = 0;

  constructor(
    url: string,
    private readonly opts: { poolSize: number; synchronousCommit: 'on' | 'off' },
  ) {
    // synchronous_commit is a session setting here: every write is a single statement (no BEGIN).
    this.pool = new pg.Pool({
      connectionString: url,
      max: opts.poolSize,
      connectionTimeoutMillis: 2000,
      idleTimeoutMillis: 30_000,
      ...(opts.synchronousCommit === 'off' ? { options: '-c synchronous_commit=off' } : {}),
    });
    // A broken connection (idle or in use) must not crash the daemon: the query in flight fails and
    // the batch is retried.
    this.pool.on('error', () => {});
    this.pool.on('connect', (client) => client.on('error', () => {}));
  }

  /** Order ids come from a sequence in blocks of 1000: one round trip per thousand orders. */
  private async ids(n: number): Promise<number[]> {
    const out: number[] = [];
    while (out.length < n) {
      if (this.nextId >= this.endId) {
        const r = await this.pool.query<{ v: string }>("SELECT nextval('order_id_seq')::text AS v");
        this.nextId = Number(r.rows[0]!.v);
        this.endId = this.nextId + 1000;
      }
      out.push(this.nextId++);
    }
    return out;
  }

  /**
   * Ledger new orders as PendingNew with their first event. Returns each order's id; `duplicate` is
   * set for a clientOrderId the ledger already had (with that order's id and status), not written again.
   * One statement (data-modifying CTEs), so one round trip and one implicit transaction per batch.
   */
  async insertOrders(orders: NewOrder[]): Promise<{ orderId: number; duplicate: { status: OrderStatus } | null }[]> {
    const ids = await this.ids(orders.length);
    const res = await this.pool.query<{ order_id: string; inserted: boolean; status: OrderStatus | null }>(
      `WITH input AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bool[], $9::numeric[], $10::numeric[], $11::bigint[], $12::jsonb[], $13::bigint[])
           WITH ORDINALITY AS i(id, s, c, sym, side, ot, tif, po, px, q, t, p, ts, ord)
       ), ins AS (
         INSERT INTO orders (order_id, strategy_id, client_order_id, symbol, side, order_type, time_in_force, post_only, price, quantity, status, leaves_qty, ts_tick, last_seq)
         SELECT id, s, c, sym, side, ot, tif, po, px, q, 'PendingNew', q, t, 1 FROM input ORDER BY ord
         ON CONFLICT (strategy_id, client_order_id) DO NOTHING
         RETURNING order_id
       ), ev AS (
         INSERT INTO order_events (order_id, seq, event_type, exec_id, status, qty, price, payload, ts_event)
         SELECT i.id, 1, 'OrderApproved', NULL, 'PendingNew', i.q, i.px, i.p, i.ts FROM input i JOIN ins ON ins.order_id = i.id
       )
       SELECT coalesce(ins.order_id, o.order_id)::text AS order_id, ins.order_id IS NOT NULL AS inserted, o.status
       FROM input i LEFT JOIN ins ON ins.order_id = i.id
         LEFT JOIN orders o ON ins.order_id IS NULL AND o.strategy_id = i.s AND o.client_order_id = i.c
       ORDER BY i.ord`,
      [
        ids,
        orders.map((o) => o.strategyId),
        orders.map((o) => o.clientOrderId),
        orders.map((o) => o.symbol),
        orders.map((o) => o.side),
        orders.map((o) => o.orderType),
        orders.map((o) => o.timeInForce),
        orders.map((o) => o.postOnly),
        orders.map((o) => num(o.price)),
        orders.map((o) => String(o.quantity)),
        orders.map((o) => (o.tsTick === null ? null : o.tsTick.toString())),
        orders.map((o) => json(o.payload)),
        orders.map((o) => o.tsEvent.toString()),
      ],
    );
    return res.rows.map((r) => ({ orderId: Number(r.order_id), duplicate: r.inserted ? null : { status: r.status! } }));
  }

  /** Append events (and fills) and move the projection: one statement, one round trip, atomic. */
  async applyEvents(events: LedgerEvent[], fills: FillRow[], updates: OrderUpdate[]): Promise<void> {
    await this.pool.query(
      `WITH ev AS (
         INSERT INTO order_events (order_id, seq, event_type, exec_id, status, qty, price, payload, ts_event)
         SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::jsonb[], $9::bigint[])
         ON CONFLICT DO NOTHING
       ), fi AS (
         INSERT INTO fills (exec_id, order_id, strategy_id, symbol, side, price, quantity, fee, liquidity, ts_event)
         SELECT * FROM unnest($10::text[], $11::bigint[], $12::text[], $13::text[], $14::text[], $15::numeric[], $16::numeric[], $17::numeric[], $18::text[], $19::bigint[])
         ON CONFLICT (exec_id) DO NOTHING
       )
       UPDATE orders o SET status = u.status, cum_qty = u.cum_qty, leaves_qty = u.leaves_qty, avg_px = u.avg_px,
              last_seq = u.last_seq, reason = coalesce(u.reason, o.reason), updated_at = now()
       FROM unnest($20::bigint[], $21::text[], $22::numeric[], $23::numeric[], $24::numeric[], $25::int[], $26::text[])
         AS u(order_id, status, cum_qty, leaves_qty, avg_px, last_seq, reason)
       WHERE o.order_id = u.order_id AND o.last_seq < u.last_seq`,
      [
        events.map((e) => e.orderId),
        events.map((e) => e.seq),
        events.map((e) => e.eventType),
        events.map((e) => e.execId),
        events.map((e) => e.status),
        events.map((e) => num(e.qty)),
        events.map((e) => num(e.price)),
        events.map((e) => json(e.payload)),
        events.map((e) => e.tsEvent.toString()),
        fills.map((f) => f.execId),
        fills.map((f) => f.orderId),
        fills.map((f) => f.strategyId),
        fills.map((f) => f.symbol),
        fills.map((f) => f.side),
        fills.map((f) => String(f.price)),
        fills.map((f) => String(f.qty)),
        fills.map((f) => String(f.fee)),
        fills.map((f) => f.liquidity),
        fills.map((f) => f.tsEvent.toString()),
        updates.map((u) => u.orderId),
        updates.map((u) => u.status),
        updates.map((u) => String(u.cumQty)),
        updates.map((u) => String(u.leavesQty)),
        updates.map((u) => num(u.avgPx)),
        updates.map((u) => u.lastSeq),
        updates.map((u) => u.reason),
      ],
    );
  }

  /** Orders not in a terminal state, to rebuild memory after a restart. */
  async openOrders(): Promise<OrderRecord[]> {
    const r = await this.pool.query<Record<string, string | boolean | null>>(
      `SELECT order_id::text, strategy_id, client_order_id, symbol, side, order_type, time_in_force, post_only, price::text, quantity::text,
              status, cum_qty::text, leaves_qty::text, avg_px::text, last_seq, ts_tick::text,
              EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = orders.order_id AND e.event_type IN ('OrderAccepted', 'ReconciledAccepted', 'OrderFilled')) AS acked
       FROM orders WHERE status = ANY($1::text[]) ORDER BY order_id`,
      [OPEN_STATUSES],
    );
    return r.rows.map((x) => ({
      orderId: Number(x['order_id']),
      strategyId: x['strategy_id'] as string,
      clientOrderId: x['client_order_id'] as string,
      symbol: x['symbol'] as string,
      side: x['side'] as Side,
      orderType: x['order_type'] as 'limit' | 'market',
      timeInForce: x['time_in_force'] as 'gtc' | 'ioc',
      postOnly: x['post_only'] as boolean,
      price: x['price'] === null ? null : Number(x['price']),
      quantity: Number(x['quantity']),
      status: x['status'] as OrderStatus,
      cumQty: Number(x['cum_qty']),
      leavesQty: Number(x['leaves_qty']),
      avgPx: x['avg_px'] === null ? null : Number(x['avg_px']),
      lastSeq: Number(x['last_seq']),
      tsTick: x['ts_tick'] === null ? null : BigInt(x['ts_tick'] as string),
      // After a restart nobody knows if the venue got it: the reconciler asks.
      forwarded: true,
      acked: x['acked'] === true,
      cancelWanted: null,
    }));
  }

  /** Execution ids already ledgered for these orders (duplicate detection after a restart). */
  async execIds(orderIds: number[]): Promise<string[]> {
    if (!orderIds.length) return [];
    const r = await this.pool.query<{ exec_id: string }>('SELECT exec_id FROM order_events WHERE order_id = ANY($1::bigint[]) AND exec_id IS NOT NULL', [orderIds]);
    return r.rows.map((x) => x.exec_id);
  }

  async recordKillSwitch(a: { eventId: string; scope: KillSwitchScope; target: string | null; engaged: boolean; reason: string; actor: string; tsEvent: bigint }): Promise<void> {
    await this.pool.query(
      // The control event is the authority on who and why; the cancel count may have come first.
      `INSERT INTO kill_switch_audit (event_id, scope, target, engaged, reason, actor, ts_event) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (event_id) DO UPDATE SET scope = EXCLUDED.scope, target = EXCLUDED.target, engaged = EXCLUDED.engaged, reason = EXCLUDED.reason, actor = EXCLUDED.actor, ts_event = EXCLUDED.ts_event`,
      [a.eventId, a.scope, a.target, a.engaged, a.reason, a.actor, a.tsEvent.toString()],
    );
  }

  /** How many orders a kill-switch canceled; creates the row (actor "risk") if the control event is late or lost. */
  async recordKillSwitchCancels(a: { eventId: string; scope: KillSwitchScope; target: string | null; reason: string; tsEvent: bigint; canceled: number }): Promise<void> {
    await this.pool.query(
      `INSERT INTO kill_switch_audit (event_id, scope, target, engaged, reason, actor, ts_event, canceled_orders) VALUES ($1, $2, $3, true, $4, 'risk', $5, $6)
       ON CONFLICT (event_id) DO UPDATE SET canceled_orders = kill_switch_audit.canceled_orders + EXCLUDED.canceled_orders`,
      [a.eventId, a.scope, a.target, a.reason, a.tsEvent.toString(), a.canceled],
    );
  }

  async queryOrders(f: OrderFilter): Promise<Record<string, unknown>[]> {
    const { where, args } = filters(f, 'created_at', 'status');
    const r = await this.pool.query(
      `SELECT order_id, strategy_id, client_order_id, symbol, side, order_type, time_in_force, post_only, price::float8 AS price, quantity::float8 AS quantity,
              status, cum_qty::float8 AS cum_qty, leaves_qty::float8 AS leaves_qty, avg_px::float8 AS avg_px, reason, created_at, updated_at
       FROM orders ${where} ORDER BY created_at DESC, order_id DESC LIMIT ${f.limit}`,
      args,
    );
    return r.rows.map((x: Record<string, unknown>) => ({ ...x, order_id: Number(x['order_id']) }));
  }

  async queryTrades(f: OrderFilter): Promise<Record<string, unknown>[]> {
    const { where, args } = filters({ ...f, status: undefined }, 'recorded_at', null);
    const r = await this.pool.query(
      `SELECT exec_id, order_id, strategy_id, symbol, side, price::float8 AS price, quantity::float8 AS quantity, fee::float8 AS fee, liquidity, ts_event::text AS ts_event, recorded_at,
              (SELECT client_order_id FROM orders o WHERE o.order_id = fills.order_id) AS client_order_id,
              (SELECT leaves_qty::float8 FROM orders o WHERE o.order_id = fills.order_id) AS order_leaves_qty
       FROM fills ${where} ORDER BY recorded_at DESC, exec_id DESC LIMIT ${f.limit}`,
      args,
    );
    return r.rows.map((x: Record<string, unknown>) => ({ ...x, order_id: Number(x['order_id']) }));
  }

  async counts(): Promise<{ orders: number; events: number; fills: number; audits: number }> {
    const r = await this.pool.query<{ o: string; e: string; f: string; a: string }>(
      'SELECT (SELECT count(*) FROM orders) AS o, (SELECT count(*) FROM order_events) AS e, (SELECT count(*) FROM fills) AS f, (SELECT count(*) FROM kill_switch_audit) AS a',
    );
    const x = r.rows[0]!;
    return { orders: Number(x.o), events: Number(x.e), fills: Number(x.f), audits: Number(x.a) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function filters(f: OrderFilter, timeCol: string, statusCol: string | null): { where: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.symbol) parts.push(`symbol = $${args.push(f.symbol)}`);
  if (f.strategy) parts.push(`strategy_id = $${args.push(f.strategy)}`);
  if (f.status && statusCol) parts.push(`${statusCol} = $${args.push(f.status)}`);
  if (f.from) parts.push(`${timeCol} >= $${args.push(f.from)}`);
  if (f.to) parts.push(`${timeCol} < $${args.push(f.to)}`);
  if (f.updatedFrom && statusCol) parts.push(`updated_at >= $${args.push(f.updatedFrom)}`);
  if (f.clientOrderId && statusCol) parts.push(`client_order_id = $${args.push(f.clientOrderId)}`);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}
