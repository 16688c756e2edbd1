import { z } from 'zod';
import { envelopeFields } from './envelope.js';
import { idString, killSwitchScope, nanos, orderId, orderType, price, quantity, side, symbol, timeInForce } from './fields.js';

// Commands: imperative names, sent over queueing sockets (never PUB) so none is silently lost.

/**
 * When each hop of the order path had the order (ns since the epoch, one host clock): the latency
 * waterfall from the tick that caused it to the venue's ack. Each hop adds its own; all optional.
 */
export const orderStamps = z
  .object({
    /** market-data published the tick that caused the order. */
    tickPublished: nanos,
    /** The strategy daemon received that tick. */
    strategyIn: nanos,
    /** The strategy sent the order. */
    submitted: nanos,
    riskIn: nanos,
    riskOut: nanos,
    omsIn: nanos,
    omsOut: nanos,
    venueIn: nanos,
    /** The venue acknowledged it (its matching engine took it). */
    venueAck: nanos,
  })
  .partial()
  .strict();
export type OrderStamps = z.output<typeof orderStamps>;

/** What an order is: the fields every hop of the order path carries unchanged. */
export const orderFields = {
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
  stamps: orderStamps.optional(),
};

/** An order's own fields (what every hop carries unchanged), decoded. */
export type OrderFields = Omit<z.output<z.ZodObject<typeof orderFields>>, 'stamps'>;

const limitNeedsPrice = (o: { orderType: string; price: number | null }): boolean => (o.orderType === 'limit') === (o.price !== null);
const priceRule = { message: 'limit orders need a price and market orders must not have one', path: ['price'] };

/** Strategy (or any client) -> risk: a new order. */
export const SubmitOrder = z
  .object({ type: z.literal('SubmitOrder'), ...envelopeFields, ...orderFields })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type SubmitOrder = z.output<typeof SubmitOrder>;

/**
 * Cancel an order by the strategy's id for it. Sent to risk, forwarded to the OMS. A cancel for an
 * order the OMS has never received voids that clientOrderId: the order is denied if it arrives later.
 */
export const CancelOrder = z
  .object({
    type: z.literal('CancelOrder'),
    ...envelopeFields,
    strategyId: idString,
    clientOrderId: idString,
    symbol,
    orderId: orderId.optional(),
    reason: z.string().max(200).default('requested'),
  })
  .strict();
export type CancelOrder = z.output<typeof CancelOrder>;

/** Risk -> OMS when a kill-switch is engaged: cancel every open order in scope. */
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

/** Synchronous pre-trade check of an order, without submitting it (risk_check socket). */
export const CheckOrder = z
  .object({ type: z.literal('CheckOrder'), ...envelopeFields, ...orderFields })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type CheckOrder = z.output<typeof CheckOrder>;

/** OMS -> venue: place an order under the OMS's orderId (always set: the venue never assigns one). */
export const VenueSubmitOrder = z
  .object({ type: z.literal('VenueSubmitOrder'), ...envelopeFields, ...orderFields, orderId })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type VenueSubmitOrder = z.output<typeof VenueSubmitOrder>;

/** OMS -> venue: cancel a placed order. */
export const VenueCancelOrder = z
  .object({ type: z.literal('VenueCancelOrder'), ...envelopeFields, strategyId: idString, clientOrderId: idString, symbol, orderId, reason: z.string().max(200) })
  .strict();
export type VenueCancelOrder = z.output<typeof VenueCancelOrder>;

/** OMS -> venue: an order's status and every fill, answered with OrderStatusReported (reconciliation). */
export const QueryOrderStatus = z
  .object({ type: z.literal('QueryOrderStatus'), ...envelopeFields, orderId, strategyId: idString, clientOrderId: idString, symbol })
  .strict();
export type QueryOrderStatus = z.output<typeof QueryOrderStatus>;

export { limitNeedsPrice, priceRule };
