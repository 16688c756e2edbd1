import { z } from 'zod';
import { cancelRejectCode, denyCode, rejectCode } from './codes.js';
import { limitNeedsPrice, orderFields, orderStamps, priceRule } from './commands.js';
import { envelopeFields } from './envelope.js';
import { idString, nanos, orderId, orderStatus, side, symbol } from './fields.js';

// Order events: past-tense names, one per thing that happened to an order. Denied = refused on our
// side (risk or the OMS; never reached the venue); Rejected = refused by the venue.
//
// The OMS publishes every one of them on the order-event stream (topic orders.<STRATEGY>) with a
// per-strategy `seq` it persists, so a consumer that restarts or sees a gap reads what it missed back
// by sequence (GET /api/order-events). The venue sends the six execution reports to the OMS only.

const orderRef = { strategyId: idString, clientOrderId: idString, symbol };
const checkValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** Risk -> OMS: the order passed every pre-trade check. */
export const OrderApproved = z
  .object({ type: z.literal('OrderApproved'), ...envelopeFields, ...orderFields })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type OrderApproved = z.output<typeof OrderApproved>;

/**
 * Refused on our side. From risk straight back to the sender (orderId null: the order never existed),
 * or from the OMS on the stream (the OMS ledgered the refusal under an orderId).
 */
export const OrderDenied = z
  .object({
    type: z.literal('OrderDenied'),
    ...envelopeFields,
    ...orderRef,
    orderId: orderId.nullable(),
    code: denyCode,
    reason: z.string().max(500),
    /** The values the check compared (limit, requested, current...). */
    values: z.record(z.string(), checkValue),
  })
  .strict();
export type OrderDenied = z.output<typeof OrderDenied>;

/** OMS: the order is in the ledger's journal under `orderId` and on its way to the venue (PendingNew). */
export const OrderSubmitted = z
  .object({ type: z.literal('OrderSubmitted'), ...envelopeFields, ...orderFields, orderId })
  .strict()
  .refine(limitNeedsPrice, priceRule);
export type OrderSubmitted = z.output<typeof OrderSubmitted>;

/** Venue: the order is live on the book (New). */
export const OrderAccepted = z
  .object({
    type: z.literal('OrderAccepted'),
    ...envelopeFields,
    ...orderRef,
    orderId,
    side,
    price: z.number().nonnegative().nullable(),
    quantity: z.number().positive(),
    tsTick: nanos.nullable(),
    /** The order's latency waterfall up to this ack (the hops' stamps, then venueIn and venueAck). */
    stamps: orderStamps.optional(),
  })
  .strict();
export type OrderAccepted = z.output<typeof OrderAccepted>;

/** Venue: the order was refused. */
export const OrderRejected = z
  .object({ type: z.literal('OrderRejected'), ...envelopeFields, ...orderRef, orderId, code: rejectCode, reason: z.string().max(500) })
  .strict();
export type OrderRejected = z.output<typeof OrderRejected>;

/** Venue: an execution. `cumQty`, `leavesQty` and `avgPx` are the order's after it (the OMS's figures on the stream). */
export const OrderFilled = z
  .object({
    type: z.literal('OrderFilled'),
    ...envelopeFields,
    ...orderRef,
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

/** OMS: a cancel was sent to the venue (PendingCancel). */
export const OrderPendingCancel = z
  .object({ type: z.literal('OrderPendingCancel'), ...envelopeFields, ...orderRef, orderId, reason: z.string().max(200) })
  .strict();
export type OrderPendingCancel = z.output<typeof OrderPendingCancel>;

/** Venue (or the OMS reconciling an order the venue lost): the order is canceled. */
export const OrderCanceled = z
  .object({ type: z.literal('OrderCanceled'), ...envelopeFields, ...orderRef, orderId, canceledQty: z.number().nonnegative(), cumQty: z.number().nonnegative(), reason: z.string().max(200) })
  .strict();
export type OrderCanceled = z.output<typeof OrderCanceled>;

/** Venue or OMS: a cancel was refused; the order goes back to where it was. */
export const OrderCancelRejected = z
  .object({ type: z.literal('OrderCancelRejected'), ...envelopeFields, ...orderRef, orderId, code: cancelRejectCode, reason: z.string().max(500) })
  .strict();
export type OrderCancelRejected = z.output<typeof OrderCancelRejected>;

/** Venue: what was left of an IOC or market order expired. */
export const OrderExpired = z
  .object({ type: z.literal('OrderExpired'), ...envelopeFields, ...orderRef, orderId, expiredQty: z.number().nonnegative(), cumQty: z.number().nonnegative() })
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

/** Venue -> OMS: the answer to QueryOrderStatus. */
export const OrderStatusReported = z
  .object({
    type: z.literal('OrderStatusReported'),
    ...envelopeFields,
    ...orderRef,
    orderId,
    /** null when the venue does not know the order. */
    status: orderStatus.nullable(),
    cumQty: z.number().nonnegative(),
    leavesQty: z.number().nonnegative(),
    avgPx: z.number().nonnegative(),
    /** Why the venue rejected it, when it did. */
    rejectCode: rejectCode.nullable().default(null),
    reason: z.string().max(500).nullable().default(null),
    /** Every fill of the order, so a reconciling OMS can ledger the ones it missed. */
    fills: z.array(reportedFill).max(10_000).default([]),
  })
  .strict();
export type OrderStatusReported = z.output<typeof OrderStatusReported>;

/**
 * OMS, once a second on topic `orders-heads`: the last sequence number of every strategy's stream,
 * so a consumer also notices a gap at the end of a stream (the last event lost, nothing after it).
 */
export const OrderStreamHeads = z
  .object({ type: z.literal('OrderStreamHeads'), ...envelopeFields, heads: z.record(idString, z.number().int().nonnegative()) })
  .strict();
export type OrderStreamHeads = z.output<typeof OrderStreamHeads>;

/** Risk -> any client: the answer to CheckOrder (nothing was reserved). */
export const OrderCheckResult = z
  .object({
    type: z.literal('OrderCheckResult'),
    ...envelopeFields,
    ...orderRef,
    approved: z.boolean(),
    code: denyCode.nullable(),
    reason: z.string().max(500).nullable(),
    values: z.record(z.string(), checkValue),
  })
  .strict();
export type OrderCheckResult = z.output<typeof OrderCheckResult>;
