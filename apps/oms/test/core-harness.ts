import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@hft/logging';
import { envelope, type Message, type MessageInput, type OrderStatus, type OrderStatusReported } from '@hft/messages';
import { initMetrics } from '@hft/metrics';
import { privateDatabase } from '@hft/testing';
import { Ledger } from '../src/ledger.js';
import { migrate } from '../src/migrate.js';
import { omsMetrics } from '../src/oms-metrics.js';
import { OmsCore } from '../src/oms-core.js';
import type { OrderRecord } from '../src/order-state.js';

initMetrics('oms-test');
export const MIGRATIONS = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'migrations');

export interface Rig {
  core: OmsCore;
  ledger: Ledger;
  venue: (MessageInput<'SubmitOrder'> | MessageInput<'CancelOrder'>)[];
  risk: Message[];
  logs: string[];
  /** What the venue answers to status queries, by orderId (missing = unknown to the venue). */
  venueState: Map<number, Omit<MessageInput<'OrderStatusReported'>, 'type' | 'eventId' | 'tsEvent' | 'tsInit' | 'causationId'>>;
  done: () => Promise<void>;
}

export async function rig(url?: string, settings: Partial<{ bufferMax: number; retryInitialMs: number }> = {}): Promise<Rig> {
  const db = url ? null : await privateDatabase();
  const ledger = new Ledger(url ?? db!.url, { poolSize: 4, synchronousCommit: 'on' });
  await migrate(ledger.pool, MIGRATIONS);
  const venue: Rig['venue'] = [];
  const risk: Message[] = [];
  const logs: string[] = [];
  const out = new PassThrough();
  out.on('data', (b: Buffer) => logs.push(b.toString()));
  const venueState: Rig['venueState'] = new Map();
  const core = new OmsCore(
    ledger,
    {
      toVenue: (m) => (venue.push(m), true),
      toRisk: (_peer, m) => risk.push(m as Message),
      queryVenue: async (o: OrderRecord): Promise<OrderStatusReported> => {
        const s = venueState.get(o.orderId);
        const base = { ...envelope(), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId };
        return s ? ({ type: 'OrderStatusReported', ...base, ...s } as OrderStatusReported) : { type: 'OrderStatusReported', ...base, status: null, cumQty: 0, leavesQty: 0, avgPx: 0, fills: [] };
      },
      mirror: () => {},
    },
    omsMetrics(),
    createLogger({ daemon: 'oms-test', destination: out }),
    { batchMax: 100, bufferMax: settings.bufferMax ?? 10_000, retryInitialMs: settings.retryInitialMs ?? 20, retryMaxMs: 200 },
  );
  return {
    core,
    ledger,
    venue,
    risk,
    logs,
    venueState,
    done: async () => {
      core.close();
      await ledger.close();
      await db?.drop();
    },
  };
}

let n = 0;
export function approved(over: Partial<MessageInput<'OrderApproved'>> = {}): MessageInput<'OrderApproved'> & { eventId: string; tsEvent: bigint } {
  return { type: 'OrderApproved', ...envelope(), strategyId: 'mm', clientOrderId: `c${++n}`, symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100.25, quantity: 100, tsTick: 123n, ...over } as MessageInput<'OrderApproved'> & { eventId: string; tsEvent: bigint };
}

export const PEER = Buffer.from('risk');

export { until } from '@hft/testing';

export async function ledgerRow(ledger: Ledger, clientOrderId: string): Promise<{ status: OrderStatus; cum_qty: string; leaves_qty: string; avg_px: string | null; last_seq: number } | undefined> {
  const r = await ledger.pool.query('SELECT status, cum_qty::text, leaves_qty::text, avg_px::text, last_seq FROM orders WHERE client_order_id = $1', [clientOrderId]);
  return r.rows[0];
}
