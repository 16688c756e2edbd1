import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RiskStore, type CheckRequest } from '../src/risk-store.js';

export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';

export const LIMITS = { max_order_qty: 1000, max_notional: 200_000, price_band_bps: 500, max_position: 2000, daily_loss_limit: 5000, max_orders_per_sec: 50 };

/** A RiskStore on the real Redis under a private key prefix (removed by `drop`). */
export async function store(): Promise<{ s: RiskStore; prefix: string; drop: () => Promise<void> }> {
  const prefix = `test:risk:${randomUUID().slice(0, 8)}:`;
  const s = new RiskStore(REDIS_URL, prefix, { duplicateWindowS: 60 });
  await s.connect();
  await s.seedLimits({ default_limits: LIMITS, symbol_limits: { 'BTC-USDT': { max_order_qty: 5 } }, strategy_limits: { fast: { max_orders_per_sec: 500 } }, restricted_symbols: ['GME'] });
  return {
    s,
    prefix,
    drop: async () => {
      const r = new Redis(REDIS_URL);
      const keys = await s.scan(`${prefix}*`);
      if (keys.length) await r.del(...keys);
      r.disconnect();
      await s.close();
    },
  };
}

let n = 0;
export function order(over: Partial<CheckRequest> = {}): CheckRequest {
  return { mode: 'submit', strategy: 'mm', clientOrderId: `c${++n}`, symbol: 'AAPL', side: 'buy', qty: 100, price: 100, reference: 100, ...over };
}
