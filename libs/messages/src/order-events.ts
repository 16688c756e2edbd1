import { z } from 'zod';
import { limitNeedsPrice, priceRule, submitOrderFields } from './commands.js';
import { envelopeFields } from './envelope.js';
import { idString, nanos, orderId, orderStatus, side, symbol } from './fields.js';

// Order events: past-tense names. Denied = refused by our risk (never reached the venue);
// Rejected = refused by the venue.

const orderIds = { strategyId: idString, clientOrderId: idString, symbol };
const checkValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

export const OrderApproved = z
  .object({ type: z.literal('OrderApproved'), ...envelopeFields, ...submitOrderFields })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type OrderApproved = z.output<typeof OrderApproved>;

export const OrderDenied = z
  .object({
    type: z.literal('OrderDenied'),
    ...envelopeFields,
    ...orderIds,
    /** The pre-trade check that failed, e.g. "max_order_qty". */
    check: z.string().min(1).max(64),
    reason: z.string().max(500),
    /** The values the check compared (limit, requested, current...). */
    values: z.record(z.string(), checkValue),
  })
  .strict();
export type OrderDenied = z.output<typeof OrderDenied>;

export const OrderAccepted = z
  .object({
    type: z.literal('OrderAccepted'),
    ...envelopeFields,
    ...orderIds,
    orderId,
    side,
    price: z.number().nonnegative().nullable(),
    quantity: z.number().positive(),
    tsTick: nanos.nullable(),
  })
  .strict();
export type OrderAccepted = z.output<typeof OrderAccepted>;

export const OrderRejected = z
  .object({
    type: z.literal('OrderRejected'),
    ...envelopeFields,
    ...orderIds,
    orderId: orderId.nullable(),
    /** Stable venue reject code, e.g. "PRICE_OFF_TICK", "UNKNOWN_SYMBOL". */
    code: z.string().min(1).max(64),
    reason: z.string().max(500),
  })
  .strict();
export type OrderRejected = z.output<typeof OrderRejected>;

export const OrderFilled = z
  .object({
    type: z.literal('OrderFilled'),
    ...envelopeFields,
    ...orderIds,
    orderId,
    /** Venue execution id; fills are idempotent on it. */
    execId: idString,
    side,
    lastPx: z.number().positive(),
    lastQty: z.number().positive(),
    cumQty: z.number().positive(),
    leavesQty: z.number().nonnegative(),
    avgPx: z.number().positive(),
    liquidity: z.enum(['maker', 'taker']),
    /** Fee in quote currency; negative is a rebate. */
    fee: z.number().finite(),
    tsTick: nanos.nullable(),
  })
  .strict();
export type OrderFilled = z.output<typeof OrderFilled>;

export const OrderCanceled = z
  .object({
    type: z.literal('OrderCanceled'),
    ...envelopeFields,
    ...orderIds,
    orderId,
    canceledQty: z.number().nonnegative(),
    cumQty: z.number().nonnegative(),
    reason: z.string().max(200),
  })
  .strict();
export type OrderCanceled = z.output<typeof OrderCanceled>;

export const OrderCancelRejected = z
  .object({
    type: z.literal('OrderCancelRejected'),
    ...envelopeFields,
    ...orderIds,
    orderId: orderId.nullable(),
    code: z.string().min(1).max(64),
    reason: z.string().max(500),
  })
  .strict();
export type OrderCancelRejected = z.output<typeof OrderCancelRejected>;

export const OrderExpired = z
  .object({
    type: z.literal('OrderExpired'),
    ...envelopeFields,
    ...orderIds,
    orderId,
    expiredQty: z.number().nonnegative(),
    cumQty: z.number().nonnegative(),
  })
  .strict();
export type OrderExpired = z.output<typeof OrderExpired>;

/** One execution as the venue remembers it (for reconciliation after missed reports). */
export const reportedFill = z
  .object({
    execId: idString,
    lastPx: z.number().positive(),
    lastQty: z.number().positive(),
    fee: z.number().finite(),
    liquidity: z.enum(['maker', 'taker']),
    tsEvent: nanos,
  })
  .strict();
export type ReportedFill = z.output<typeof reportedFill>;

export const OrderStatusReported = z
  .object({
    type: z.literal('OrderStatusReported'),
    ...envelopeFields,
    ...orderIds,
    orderId,
    /** null when the venue does not know the order. */
    status: orderStatus.nullable(),
    cumQty: z.number().nonnegative(),
    leavesQty: z.number().nonnegative(),
    avgPx: z.number().nonnegative(),
    /** Every fill of the order, so a reconciling OMS can ledger the ones it missed. */
    fills: z.array(reportedFill).max(10_000).default([]),
  })
  .strict();
export type OrderStatusReported = z.output<typeof OrderStatusReported>;

/** The OMS has ledgered the order (PendingNew) under `orderId` and sent it to the venue. */
export const OrderSubmitted = z
  .object({ type: z.literal('OrderSubmitted'), ...envelopeFields, ...orderIds, orderId })
  .strict();
export type OrderSubmitted = z.output<typeof OrderSubmitted>;

export const OrderCheckResult = z
  .object({
    type: z.literal('OrderCheckResult'),
    ...envelopeFields,
    ...orderIds,
    approved: z.boolean(),
    check: z.string().max(64).nullable(),
    reason: z.string().max(500).nullable(),
    values: z.record(z.string(), checkValue),
  })
  .strict();
export type OrderCheckResult = z.output<typeof OrderCheckResult>;
