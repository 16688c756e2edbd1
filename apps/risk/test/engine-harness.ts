import { InstrumentRegistry, loadConfig } from '@hft/config';
import { envelope, type OrderEvent } from '@hft/messages';
import { RiskEngine, type ChangeSink, type RiskOrder } from '../src/risk-engine.js';

export const instruments = InstrumentRegistry.fromConfig(loadConfig({ env: {} }));
export const LIMITS = { max_order_qty: 1000, max_notional: 200_000, price_band_bps: 500, max_position: 2000, daily_loss_limit: 5000, max_orders_per_sec: 50 };

export class RecordingSink implements ChangeSink {
  readonly changes: string[] = [];
  readonly audits: Record<string, string>[] = [];
  changed(kind: string, a: string, b: string): void {
    this.changes.push(`${kind}:${a}:${b}`);
  }
  audit(f: Record<string, string>): void {
    this.audits.push(f);
  }
}

/** An engine with the test limits, a clock the test moves, and its changes recorded. */
export function engine(now = { ms: Date.parse('2026-12-02T10:00:00.100Z') }): { e: RiskEngine; sink: RecordingSink; now: { ms: number } } {
  const sink = new RecordingSink();
  const e = new RiskEngine(instruments, sink, 1000, () => now.ms);
  e.setLimits('default', null, LIMITS, 'test');
  e.setLimits('symbol', 'BTC-USDT', { max_order_qty: 5 }, 'test');
  e.setLimits('strategy', 'fast', { max_orders_per_sec: 500 }, 'test');
  e.setRestricted(['GME'], 'test');
  return { e, sink, now };
}

let n = 0;
export function order(over: Partial<RiskOrder> = {}): RiskOrder {
  return { strategyId: 'mm', clientOrderId: `c${++n}`, symbol: 'AAPL', side: 'buy', quantity: 100, price: 100, ...over };
}

/** One strategy's order stream, numbered as the OMS numbers it. */
export function stream(strategyId = 'mm') {
  let seq = 0;
  let oid = 0;
  const base = (clientOrderId: string, symbol: string) => ({ ...envelope(), strategyId, clientOrderId, symbol, seq: ++seq });
  return {
    submitted: (o: RiskOrder): OrderEvent => ({ type: 'OrderSubmitted', ...base(o.clientOrderId, o.symbol), orderId: ++oid, side: o.side, orderType: o.price === null ? 'market' : 'limit', timeInForce: 'gtc', postOnly: false, price: o.price, quantity: o.quantity, tsTick: null }),
    filled: (o: RiskOrder, qty: number, px = 100, fee = 0): OrderEvent => ({ type: 'OrderFilled', ...base(o.clientOrderId, o.symbol), orderId: oid, execId: `E${seq}`, side: o.side, lastPx: px, lastQty: qty, cumQty: qty, leavesQty: 0, avgPx: px, liquidity: 'maker', fee, tsTick: null }),
    canceled: (o: RiskOrder): OrderEvent => ({ type: 'OrderCanceled', ...base(o.clientOrderId, o.symbol), orderId: oid, canceledQty: 0, cumQty: 0, reason: 'requote' }),
    denied: (o: RiskOrder): OrderEvent => ({ type: 'OrderDenied', ...base(o.clientOrderId, o.symbol), orderId: oid, code: 'canceled_before_receipt', reason: 'voided', values: {} }),
  };
}
