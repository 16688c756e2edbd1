import { z } from 'zod';
import { envelopeFields } from './envelope.js';
import { idString, killSwitchScope, nanos, orderId, orderType, price, quantity, side, symbol, timeInForce } from './fields.js';

// Commands: imperative names, sent over queueing sockets (never PUB) so none is silently lost.

export const submitOrderFields = {
  strategyId: idString,
  clientOrderId: idString,
  symbol,
  side,
  orderType,
  timeInForce,
  postOnly: z.boolean().default(false),
  /** Limit price (decimal, on the instrument's tick grid); null for market orders. */
  price: price.nullable(),
  quantity,
  /** Publish time of the tick that caused the order, carried for tick-to-trade latency. */
  tsTick: nanos.nullable(),
  /** Assigned by the OMS before the order goes to the venue. */
  orderId: orderId.optional(),
};

const limitNeedsPrice = (o: { orderType: string; price: number | null }): boolean => (o.orderType === 'limit') === (o.price !== null);
const priceRule = { message: 'limit orders need a price and market orders must not have one', path: ['price'] };

export const SubmitOrder = z
  .object({ type: z.literal('SubmitOrder'), ...envelopeFields, ...submitOrderFields })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type SubmitOrder = z.output<typeof SubmitOrder>;

export const CancelOrder = z
  .object({
    type: z.literal('CancelOrder'),
    ...envelopeFields,
    strategyId: idString,
    /** The order to cancel, by the strategy's own id. */
    clientOrderId: idString,
    symbol,
    orderId: orderId.optional(),
    reason: z.string().max(200).default('requested'),
  })
  .strict();
export type CancelOrder = z.output<typeof CancelOrder>;

export const CancelAllOrders = z
  .object({
    type: z.literal('CancelAllOrders'),
    ...envelopeFields,
    scope: killSwitchScope,
    strategyId: idString.nullable(),
    symbol: symbol.nullable(),
    reason: z.string().max(200),
  })
  .strict();
export type CancelAllOrders = z.output<typeof CancelAllOrders>;

export const QueryOrderStatus = z
  .object({ type: z.literal('QueryOrderStatus'), ...envelopeFields, orderId, strategyId: idString, clientOrderId: idString, symbol })
  .strict();
export type QueryOrderStatus = z.output<typeof QueryOrderStatus>;

/** Synchronous pre-trade check of an order, without submitting it. */
export const CheckOrder = z
  .object({ type: z.literal('CheckOrder'), ...envelopeFields, ...submitOrderFields })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type CheckOrder = z.output<typeof CheckOrder>;

export { limitNeedsPrice, priceRule };
