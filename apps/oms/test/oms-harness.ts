import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { InstrumentRegistry, loadConfig, workspaceRoot, type PlatformConfig } from '@hft/config';
import { createLogger } from '@hft/logging';
import { envelope, type MessageInput, type OrderApproved, type OrderEvent, type OrderStatusReported, type VenueReport } from '@hft/messages';
import { initMetrics } from '@hft/metrics';
import type { ManagedOrder, VenueCommand } from '@hft/orders';
import { privateDatabase } from '@hft/testing';
import { Publisher } from '@hft/transport';
import { Ledger } from '../src/ledger.js';
import { migrate } from '@hft/migrations';
import { omsMetrics } from '../src/oms-metrics.js';
import { openOms } from '../src/oms-setup.js';
import type { OmsService } from '../src/oms-service.js';

initMetrics('oms-test');
export const MIGRATIONS = join(workspaceRoot(), 'apps', 'oms', 'migrations');
export const cfg: PlatformConfig = loadConfig({ env: {} });
export const instruments = InstrumentRegistry.fromConfig(cfg);

export interface Rig {
  oms: OmsService;
  ledger: Ledger;
  venue: VenueCommand[];
  /** What the venue answers to status queries, by orderId (missing = unknown to the venue). */
  venueState: Map<number, Partial<OrderStatusReported>>;
  logs: string[];
  journalDir: string;
  url: string;
  /** The stream as a consumer reads it back (memory, then Postgres), wire JSON. */
  stream(strategyId?: string): Promise<(OrderEvent & Record<string, unknown>)[]>;
  /** Stop without draining: what a kill -9 leaves (the journal file stays). */
  crash(): Promise<void>;
  done(): Promise<void>;
}

/** An OMS on a real Postgres (a private database, or `url`), a journal in a temporary directory (or `journalDir`). */
export async function rig(o: { url?: string; journalDir?: string; settings?: Partial<PlatformConfig['oms']> } = {}): Promise<Rig> {
  const db = o.url ? null : await privateDatabase();
  const url = o.url ?? db!.url;
  const ledger = new Ledger(url, { poolSize: 3, synchronousCommit: 'on' });
  await migrate(ledger.pool, MIGRATIONS);
  const journalDir = o.journalDir ?? join(mkdtempSync(join(tmpdir(), 'oms-journal-')), 'j');
  const stream = new Publisher({ stream: 'order_events', endpoint: 'tcp://127.0.0.1:*', linger: 0 });
  await stream.bind();
  const venue: VenueCommand[] = [];
  const venueState: Rig['venueState'] = new Map();
  const logs: string[] = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => logs.push(b.toString()));
  const { oms } = await openOms({
    settings: { ...cfg.oms, retry_initial_ms: 20, retry_max_ms: 200, ...o.settings },
    journalDir,
    ledger,
    instruments,
    stream,
    links: {
      toVenue: (c) => (venue.push(c), true),
      queryVenue: async (ord: ManagedOrder): Promise<OrderStatusReported> => {
        const base = { type: 'OrderStatusReported' as const, ...envelope(), strategyId: ord.strategyId, clientOrderId: ord.clientOrderId, symbol: ord.symbol, orderId: ord.orderId!, status: null, cumQty: 0, leavesQty: 0, avgPx: 0, rejectCode: null, reason: null, fills: [] };
        return { ...base, ...venueState.get(ord.orderId!) };
      },
    },
    m: omsMetrics(),
    log: createLogger({ daemon: 'oms-test', destination: out }),
  });
  let stopped = false;
  const stop = async (drain: boolean) => {
    if (stopped) return;
    stopped = true;
    if (drain) await oms.drain();
    oms.close();
    await stream.close();
    await ledger.close();
  };
  return {
    oms,
    ledger,
    venue,
    venueState,
    logs,
    journalDir,
    url,
    async stream(strategyId = 'mm') {
      return (await oms.events(strategyId, 0, 10_000)).events as (OrderEvent & Record<string, unknown>)[];
    },
    crash: () => stop(false),
    async done() {
      await stop(true);
      await db?.drop();
    },
  };
}

let n = 0;
export function approved(over: Partial<MessageInput<'OrderApproved'>> = {}): OrderApproved {
  return { type: 'OrderApproved', ...envelope(), strategyId: 'mm', clientOrderId: `c${++n}`, symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100.25, quantity: 100, tsTick: 123n, ...over } as OrderApproved;
}

/** A venue report about the order a VenueSubmitOrder placed. */
export function report(v: VenueCommand, fields: Record<string, unknown>): VenueReport {
  return { ...envelope(), strategyId: v.strategyId, clientOrderId: v.clientOrderId, symbol: v.symbol, orderId: v.orderId, ...fields } as VenueReport;
}

export const fill = (v: VenueCommand, execId: string, lastPx: number, lastQty: number, fee = 0) => report(v, { type: 'OrderFilled', execId, side: 'buy', lastPx, lastQty, cumQty: lastQty, leavesQty: 0, avgPx: lastPx, liquidity: 'taker', fee, tsTick: null });

export async function row(ledger: Ledger, clientOrderId: string): Promise<Record<string, unknown> | undefined> {
  return (await ledger.pool.query('SELECT status, cum_qty::text, leaves_qty::text, avg_px::text, last_seq, acked FROM orders WHERE client_order_id = $1', [clientOrderId])).rows[0];
}

export { until } from '@hft/testing';
