import { InstrumentRegistry } from '@hft/config';
import { envelope, type MessageInput, type OrderApproved } from '@hft/messages';

export const instruments = new InstrumentRegistry([
  { symbol: 'AAPL', price_decimals: 2, tick_size: 0.01, qty_decimals: 0, lot_size: 1 },
  { symbol: 'BTC-USDT', price_decimals: 2, tick_size: 0.01, qty_decimals: 5, lot_size: 0.00001 },
]);

let n = 0;
export function approval(over: Partial<MessageInput<'OrderApproved'>> = {}): OrderApproved {
  return { type: 'OrderApproved', ...envelope(), strategyId: 'mm', clientOrderId: `c${++n}`, symbol: 'AAPL', side: 'buy', orderType: 'limit', timeInForce: 'gtc', postOnly: false, price: 100.25, quantity: 100, tsTick: 123n, ...over } as OrderApproved;
}

export const ref = (o: { strategyId: string; clientOrderId: string; symbol: string; orderId: number | null }) => ({ ...envelope(), strategyId: o.strategyId, clientOrderId: o.clientOrderId, symbol: o.symbol, orderId: o.orderId! });
