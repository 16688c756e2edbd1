import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { join } from 'node:path';
import type { Aggressor} from '@hft/messages';
import { envelope, TickKind, type BookSnapshot, type Tick, type VenueSubmitOrder } from '@hft/messages';
import { Venue, type VenueReport } from '../src/index.js';

const cfg = loadConfig({ path: join(workspaceRoot(), 'config', 'platform.toml'), env: {} });
export const registry = InstrumentRegistry.fromConfig(cfg);

export function venue(stp: 'none' | 'cancel-aggressor' = 'cancel-aggressor'): { v: Venue; reports: VenueReport[] } {
  const reports: VenueReport[] = [];
  const v = new Venue(registry.all(), { stp, fees: (s) => (s === 'AAPL' ? { maker_bps: -0.2, taker_bps: 0.5 } : { maker_bps: 0, taker_bps: 0 }), history: 1000, depth: 10, run: 'T' }, (r) => reports.push(r));
  return { v, reports };
}

let seq = 0;
/** An AAPL book snapshot from [price, qty] pairs, best first (prices in dollars). */
export function book(bids: [number, number][], asks: [number, number][], symbol = 'AAPL'): BookSnapshot {
  const lv = ([p, q]: [number, number]) => ({ price: p, qty: q, priceUnits: Math.round(p * 100), qtyUnits: q });
  return { symbol, seq: ++seq, tsEvent: 1n, tsPublish: 2n, priceExponent: -2, qtyExponent: 0, bids: bids.map(lv), asks: asks.map(lv) };
}

export function trade(price: number, qty: number, aggressor: Aggressor, symbol = 'AAPL'): Tick {
  return { symbol, seq: ++seq, tsEvent: 1n, kind: TickKind.Trade, aggressor, price, qty, priceUnits: Math.round(price * 100), qtyUnits: qty };
}

let oid = 0;
export function order(o: Partial<VenueSubmitOrder> & Pick<VenueSubmitOrder, 'side' | 'quantity'>): VenueSubmitOrder {
  const id = ++oid;
  return { type: 'VenueSubmitOrder', ...envelope(), strategyId: 'mm', clientOrderId: `c${id}`, symbol: 'AAPL', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100, tsTick: 7n, orderId: id, ...o } as VenueSubmitOrder;
}

/** Fills of one order as [price, qty, liquidity]. */
export function fills(reports: VenueReport[], orderId: number): [number, number, string][] {
  return reports.filter((r) => r.type === 'OrderFilled' && r.orderId === orderId).map((r) => [(r as { lastPx: number }).lastPx, (r as { lastQty: number }).lastQty, (r as { liquidity: string }).liquidity]);
}

export function last(reports: VenueReport[], orderId: number): VenueReport | undefined {
  return reports.filter((r) => 'orderId' in r && r.orderId === orderId).at(-1);
}
