import pg from 'pg';
import type { InstrumentRegistry } from '@hft/config';
import type { KillSwitchScope, OrderEvent, OrderStatus, OrderType, Side, TimeInForce } from '@hft/messages';
import { OPEN_STATUSES, toUnits, type OrderProjection, type OrderSpec } from '@hft/orders';
import { PositionBook } from '@hft/portfolio';
import type { Journaled } from './journal-record.js';

export interface OrderFilter {
  symbol?: string;
  strategy?: string;
  status?: string;
  from?: Date;
  to?: Date;
  /** Orders only: the strategy's id for the order. */
  clientOrderId?: string;
  side?: 'buy' | 'sell';
  limit: number;
}

/** An open order as the ledger holds it, with what the lifecycle needs to carry on. */
export interface LedgerOpenOrder extends OrderSpec {
  orderId: number;
  status: OrderStatus;
  cumUnits: number;
  notional: bigint;
  acked: boolean;
  lastSeq: number;
  execIds: string[];
}

export interface LedgerState {
  ledgerId: string;
  journalLsn: number;
  nextOrderId: number;
  heads: Record<string, number>;
  open: LedgerOpenOrder[];
  closed: { strategyId: string; clientOrderId: string; orderId: number; lastSeq: number }[];
  positions: { strategy: string; symbol: string; qty: number; avgPx: number; realized: number; fees: number }[];
  /** Positions were rebuilt from every fill (a ledger from before the positions table). */
  rebuiltPositions: boolean;
}

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

function eventQtyPrice(e: OrderEvent): [number | null, number | null] {
  switch (e.type) {
    case 'OrderSubmitted':
    case 'OrderAccepted':
    case 'OrderPendingReplace':
    case 'OrderReplaced':
    case 'OrderReplaceRejected':
      return [e.quantity, e.price];
    case 'OrderFilled':
      return [e.lastQty, e.lastPx];
    case 'OrderCanceled':
      return [e.canceledQty, null];
    case 'OrderExpired':
      return [e.expiredQty, null];
    default:
      return [null, null];
  }
}

/**
 * The Postgres order ledger: the system of record behind the OMS's journal. A batch of journal records
 * is one statement (data-modifying CTEs over jsonb_to_recordset): new orders, append-only events
 * (each with its stream sequence and the published message), fills, the orders and positions
 * projections, stream heads and the journal checkpoint move together or not at all.
 */
export class Ledger {
  readonly pool: pg.Pool;

  constructor(
    url: string,
    opts: { poolSize: number; synchronousCommit: 'on' | 'off' },
  ) {
    // synchronous_commit is a session setting: every write is a single statement (no BEGIN).
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

  /** Write journal entries (in lsn order): returns how many new orders had a clientOrderId already in the ledger (renamed, see below). */
  async write(entries: readonly Journaled[]): Promise<{ renamed: number }> {
    const orders = new Map<number, Record<string, unknown>>();
    const updates = new Map<number, Record<string, unknown>>();
    const events: string[] = [];
    const fills: Record<string, unknown>[] = [];
    const positions = new Map<string, Record<string, unknown>>();
    const heads = new Map<string, number>();
    const project = (p: OrderProjection, lastSeq: number) => ({ status: p.status, cum_qty: p.cumQty, leaves_qty: p.leavesQty, avg_px: p.avgPx, reason: p.reason, acked: p.acked, last_seq: lastSeq, ...(p.quantity !== undefined ? { price: p.price, quantity: p.quantity } : {}) });
    let lsn = 0;
    for (const { lsn: l, record: r, wire } of entries) {
      lsn = l;
      if (r.kind === 'order') {
        const o = r.order;
        orders.set(o.orderId, {
          order_id: o.orderId,
          strategy_id: o.strategyId,
          client_order_id: o.clientOrderId,
          symbol: o.symbol,
          side: o.side,
          order_type: o.orderType,
          time_in_force: o.timeInForce,
          post_only: o.postOnly,
          price: o.price,
          quantity: o.quantity,
          ts_tick: o.tsTick?.toString() ?? null,
          status: o.status,
          cum_qty: 0,
          leaves_qty: o.status === 'PendingNew' ? o.quantity : 0,
          avg_px: null,
          reason: o.reason,
          acked: false,
          last_seq: 0,
        });
        continue;
      }
      const e = r.event;
      const [qty, price] = eventQtyPrice(e);
      // The payload is the event's wire text, spliced in as is (it is published the same way).
      const meta = JSON.stringify({ order_id: r.orderId, seq: r.orderSeq, event_type: e.type, exec_id: e.type === 'OrderFilled' ? e.execId : null, status: r.projection?.status ?? null, qty, price, ts_event: e.tsEvent.toString(), strategy_id: e.strategyId, stream_seq: e.seq });
      events.push(`${meta.slice(0, -1)},"payload":${wire ?? json(e)}}`);
      heads.set(e.strategyId, e.seq!);
      if (e.type === 'OrderFilled') {
        fills.push({ exec_id: e.execId, order_id: r.orderId, strategy_id: e.strategyId, symbol: e.symbol, side: e.side, price: e.lastPx, quantity: e.lastQty, fee: e.fee, liquidity: e.liquidity, ts_event: e.tsEvent.toString() });
      }
      if (r.position) positions.set(`${r.position.strategy}\u0000${r.position.symbol}`, { strategy_id: r.position.strategy, symbol: r.position.symbol, qty: r.position.qty, avg_px: r.position.avgPx, realized: r.position.realized, fees: r.position.fees, stream_seq: e.seq });
      if (r.projection) {
        // An order born in this batch is inserted as it stands at the end of it.
        const born = orders.get(r.orderId);
        if (born) Object.assign(born, project(r.projection, r.orderSeq));
        else updates.set(r.orderId, { order_id: r.orderId, ...project(r.projection, r.orderSeq) });
      }
    }
    const rest = JSON.stringify({
      orders: [...orders.values()],
      fills,
      updates: [...updates.values()],
      positions: [...positions.values()],
      heads: [...heads].map(([strategy_id, head]) => ({ strategy_id, head })),
    });
    const doc = `${rest.slice(0, -1)},"events":[${events.join(',')}]}`;
    const res = await this.pool.query<{ renamed: string }>(
      `WITH doc AS (SELECT $1::jsonb AS d),
       ins AS (
         -- A clientOrderId the ledger already holds (older than what the OMS remembers) must not stop
         -- the ledger: the row keeps it with the order id appended, and the count is reported.
         INSERT INTO orders (order_id, strategy_id, client_order_id, symbol, side, order_type, time_in_force, post_only, price, quantity, status, cum_qty, leaves_qty, avg_px, last_seq, reason, ts_tick, acked)
         SELECT x.order_id, x.strategy_id,
                CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.strategy_id = x.strategy_id AND o.client_order_id = x.client_order_id) THEN x.client_order_id || '#' || x.order_id ELSE x.client_order_id END,
                x.symbol, x.side, x.order_type, x.time_in_force, x.post_only, x.price, x.quantity, x.status, x.cum_qty, x.leaves_qty, x.avg_px, x.last_seq, x.reason, x.ts_tick, x.acked
         FROM doc, jsonb_to_recordset(doc.d->'orders') AS x(order_id bigint, strategy_id text, client_order_id text, symbol text, side text, order_type text, time_in_force text, post_only boolean,
                price numeric, quantity numeric, status text, cum_qty numeric, leaves_qty numeric, avg_px numeric, last_seq int, reason text, ts_tick bigint, acked boolean)
         ON CONFLICT (order_id) DO NOTHING
         RETURNING client_order_id
       ), ev AS (
         INSERT INTO order_events (order_id, seq, event_type, exec_id, status, qty, price, payload, ts_event, strategy_id, stream_seq)
         SELECT x.order_id, x.seq, x.event_type, x.exec_id, x.status, x.qty, x.price, x.payload, x.ts_event, x.strategy_id, x.stream_seq
         FROM doc, jsonb_to_recordset(doc.d->'events') AS x(order_id bigint, seq int, event_type text, exec_id text, status text, qty numeric, price numeric, payload jsonb, ts_event bigint, strategy_id text, stream_seq bigint)
         ON CONFLICT DO NOTHING
       ), fi AS (
         INSERT INTO fills (exec_id, order_id, strategy_id, symbol, side, price, quantity, fee, liquidity, ts_event)
         SELECT x.exec_id, x.order_id, x.strategy_id, x.symbol, x.side, x.price, x.quantity, x.fee, x.liquidity, x.ts_event
         FROM doc, jsonb_to_recordset(doc.d->'fills') AS x(exec_id text, order_id bigint, strategy_id text, symbol text, side text, price numeric, quantity numeric, fee numeric, liquidity text, ts_event bigint)
         ON CONFLICT (exec_id) DO NOTHING
       ), up AS (
         UPDATE orders o SET status = x.status, cum_qty = x.cum_qty, leaves_qty = x.leaves_qty, avg_px = x.avg_px, last_seq = x.last_seq,
                reason = coalesce(x.reason, o.reason), acked = x.acked, price = coalesce(x.price, o.price), quantity = coalesce(x.quantity, o.quantity), updated_at = now()
         FROM doc, jsonb_to_recordset(doc.d->'updates') AS x(order_id bigint, status text, cum_qty numeric, leaves_qty numeric, avg_px numeric, last_seq int, reason text, acked boolean, price numeric, quantity numeric)
         WHERE o.order_id = x.order_id AND o.last_seq < x.last_seq
       ), po AS (
         INSERT INTO positions (strategy_id, symbol, qty, avg_px, realized, fees, stream_seq)
         SELECT x.strategy_id, x.symbol, x.qty, x.avg_px, x.realized, x.fees, x.stream_seq
         FROM doc, jsonb_to_recordset(doc.d->'positions') AS x(strategy_id text, symbol text, qty numeric, avg_px numeric, realized numeric, fees numeric, stream_seq bigint)
         ON CONFLICT (strategy_id, symbol) DO UPDATE SET qty = EXCLUDED.qty, avg_px = EXCLUDED.avg_px, realized = EXCLUDED.realized, fees = EXCLUDED.fees,
                stream_seq = EXCLUDED.stream_seq, updated_at = now()
           WHERE positions.stream_seq < EXCLUDED.stream_seq
       ), he AS (
         INSERT INTO stream_heads (strategy_id, head)
         SELECT x.strategy_id, x.head FROM doc, jsonb_to_recordset(doc.d->'heads') AS x(strategy_id text, head bigint)
         ON CONFLICT (strategy_id) DO UPDATE SET head = GREATEST(stream_heads.head, EXCLUDED.head)
       )
       UPDATE oms_checkpoint SET journal_lsn = GREATEST(journal_lsn, $2) WHERE id = 1
       RETURNING (SELECT count(*) FROM ins WHERE client_order_id LIKE '%#%')::text AS renamed`,
      [doc, lsn],
    );
    return { renamed: Number(res.rows[0]?.renamed ?? 0) };
  }

  /** Everything the OMS rebuilds its memory from after a restart (before replaying the journal's tail). */
  async load(instruments: InstrumentRegistry, closedMemory: number): Promise<LedgerState> {
    const cp = (await this.pool.query<{ ledger_id: string; journal_lsn: string }>('SELECT ledger_id::text, journal_lsn::text FROM oms_checkpoint WHERE id = 1')).rows[0]!;
    const next = (await this.pool.query<{ m: string }>('SELECT (coalesce(max(order_id), 0) + 1)::text AS m FROM orders')).rows[0]!.m;
    const heads = Object.fromEntries((await this.pool.query<{ strategy_id: string; head: string }>('SELECT strategy_id, head::text FROM stream_heads')).rows.map((r) => [r.strategy_id, Number(r.head)]));
    const rows = (
      await this.pool.query<Record<string, string | boolean | null>>(
        `SELECT order_id::text, strategy_id, client_order_id, symbol, side, order_type, time_in_force, post_only, price::text, quantity::text, status, cum_qty::text, last_seq, ts_tick::text, acked
         FROM orders WHERE status = ANY($1::text[]) ORDER BY order_id`,
        [OPEN_STATUSES],
      )
    ).rows;
    const fills = new Map<number, { execId: string; price: number; qty: number }[]>();
    if (rows.length) {
      const f = await this.pool.query<{ order_id: string; exec_id: string; price: string; quantity: string }>('SELECT order_id::text, exec_id, price::text, quantity::text FROM fills WHERE order_id = ANY($1::bigint[])', [rows.map((r) => r['order_id'])]);
      for (const x of f.rows) {
        const list = fills.get(Number(x.order_id)) ?? [];
        list.push({ execId: x.exec_id, price: Number(x.price), qty: Number(x.quantity) });
        fills.set(Number(x.order_id), list);
      }
    }
    const open = rows.map((x): LedgerOpenOrder => {
      const orderId = Number(x['order_id']);
      const inst = instruments.get(x['symbol'] as string);
      const mine = fills.get(orderId) ?? [];
      return {
        orderId,
        strategyId: x['strategy_id'] as string,
        clientOrderId: x['client_order_id'] as string,
        symbol: x['symbol'] as string,
        side: x['side'] as Side,
        orderType: x['order_type'] as OrderType,
        timeInForce: x['time_in_force'] as TimeInForce,
        postOnly: x['post_only'] as boolean,
        price: x['price'] === null ? null : Number(x['price']),
        quantity: Number(x['quantity']),
        tsTick: x['ts_tick'] === null ? null : BigInt(x['ts_tick'] as string),
        status: x['status'] as OrderStatus,
        cumUnits: toUnits(Number(x['cum_qty']), inst.qtyScale),
        notional: mine.reduce((a, f) => a + BigInt(toUnits(f.price, inst.priceScale)) * BigInt(toUnits(f.qty, inst.qtyScale)), 0n),
        acked: x['acked'] === true,
        lastSeq: Number(x['last_seq']),
        execIds: mine.map((f) => f.execId),
      };
    });
    const closed = (
      await this.pool.query<{ strategy_id: string; client_order_id: string; order_id: string; last_seq: number }>(
        'SELECT strategy_id, client_order_id, order_id::text, last_seq FROM orders WHERE status <> ALL($1::text[]) ORDER BY order_id DESC LIMIT $2',
        [OPEN_STATUSES, closedMemory],
      )
    ).rows
      .reverse()
      .map((r) => ({ strategyId: r.strategy_id, clientOrderId: r.client_order_id, orderId: Number(r.order_id), lastSeq: r.last_seq }));
    let positions = (await this.pool.query<{ strategy_id: string; symbol: string; qty: number; avg_px: number; realized: number; fees: number }>('SELECT strategy_id, symbol, qty::float8 AS qty, avg_px::float8 AS avg_px, realized::float8 AS realized, fees::float8 AS fees FROM positions')).rows.map((r) => ({ strategy: r.strategy_id, symbol: r.symbol, qty: r.qty, avgPx: r.avg_px, realized: r.realized, fees: r.fees }));
    let rebuiltPositions = false;
    if (!positions.length) {
      // A ledger from before the positions table: replay every fill once, in the order they happened.
      const book = new PositionBook((s) => instruments.find(s) ?? 1);
      const all = await this.pool.query<{ strategy_id: string; symbol: string; side: Side; price: number; quantity: number; fee: number }>('SELECT strategy_id, symbol, side, price::float8 AS price, quantity::float8 AS quantity, fee::float8 AS fee FROM fills ORDER BY ts_event, exec_id');
      for (const f of all.rows) book.onFill(f.strategy_id, f.symbol, f.side, f.price, f.quantity, f.fee);
      positions = book.list().map(({ strategy, position: p }) => ({ strategy, symbol: p.symbol, ...p.state() }));
      rebuiltPositions = all.rows.length > 0;
    }
    return { ledgerId: cp.ledger_id, journalLsn: Number(cp.journal_lsn), nextOrderId: Number(next), heads, open, closed, positions, rebuiltPositions };
  }

  /** One strategy's stream after `after`, oldest first (the published messages). */
  async events(strategyId: string, after: number, limit: number): Promise<unknown[]> {
    const r = await this.pool.query<{ payload: unknown }>('SELECT payload FROM order_events WHERE strategy_id = $1 AND stream_seq > $2 ORDER BY stream_seq LIMIT $3', [strategyId, after, limit]);
    return r.rows.map((x) => x.payload);
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
    const { where, args } = filters(f, 'created_at', true);
    const r = await this.pool.query(
      `SELECT order_id, strategy_id, client_order_id, symbol, side, order_type, time_in_force, post_only, price::float8 AS price, quantity::float8 AS quantity,
              status, cum_qty::float8 AS cum_qty, leaves_qty::float8 AS leaves_qty, avg_px::float8 AS avg_px, reason, created_at, updated_at
       FROM orders ${where} ORDER BY created_at DESC, order_id DESC LIMIT ${f.limit}`,
      args,
    );
    return r.rows.map((x: Record<string, unknown>) => ({ ...x, order_id: Number(x['order_id']) }));
  }

  async queryTrades(f: OrderFilter): Promise<Record<string, unknown>[]> {
    const { where, args } = filters({ ...f, status: undefined }, 'recorded_at', false);
    const r = await this.pool.query(
      `SELECT exec_id, order_id, strategy_id, symbol, side, price::float8 AS price, quantity::float8 AS quantity, fee::float8 AS fee, liquidity, ts_event::text AS ts_event, recorded_at,
              (SELECT client_order_id FROM orders o WHERE o.order_id = fills.order_id) AS client_order_id
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

function filters(f: OrderFilter, timeCol: string, orders: boolean): { where: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.symbol) parts.push(`symbol = $${args.push(f.symbol)}`);
  if (f.strategy) parts.push(`strategy_id = $${args.push(f.strategy)}`);
  if (f.status && orders) parts.push(`status = $${args.push(f.status)}`);
  if (f.from) parts.push(`${timeCol} >= $${args.push(f.from)}`);
  if (f.to) parts.push(`${timeCol} < $${args.push(f.to)}`);
  if (f.clientOrderId && orders) parts.push(`client_order_id = $${args.push(f.clientOrderId)}`);
  if (f.side) parts.push(`side = $${args.push(f.side)}`);
  return { where: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}
