import { z } from 'zod';
import { denyCode, replaceRejectCode } from './codes.js';
import { envelopeFields } from './envelope.js';
import { idString, orderId, price, quantity, symbol } from './fields.js';

// Cancel/replace: a resting limit order gets a new price and/or total quantity, keeping its ids. The
// strategy (or the FIX gateway) sends ReplaceOrder to risk, which checks the new terms as a new risk
// decision and forwards it to the OMS; the OMS sends VenueReplaceOrder and publishes the outcome.

const orderRef = { strategyId: idString, clientOrderId: idString, symbol };
/** The new terms: a limit price, and the new total quantity (filled + what is to rest). */
const terms = { price, quantity };

/** Change a resting limit order's price and/or total quantity. */
export const ReplaceOrder = z
  .object({ type: z.literal('ReplaceOrder'), ...envelopeFields, ...orderRef, orderId: orderId.optional(), ...terms, reason: z.string().max(200).default('requested') })
  .strict();
export type ReplaceOrder = z.output<typeof ReplaceOrder>;

/** OMS -> venue: replace a placed order's terms. */
export const VenueReplaceOrder = z
  .object({ type: z.literal('VenueReplaceOrder'), ...envelopeFields, ...orderRef, orderId, ...terms, reason: z.string().max(200) })
  .strict();
export type VenueReplaceOrder = z.output<typeof VenueReplaceOrder>;

/** OMS: a replace was sent to the venue; the order works on its old terms until OrderReplaced. */
export const OrderPendingReplace = z
  .object({ type: z.literal('OrderPendingReplace'), ...envelopeFields, ...orderRef, orderId, ...terms, reason: z.string().max(200) })
  .strict();
export type OrderPendingReplace = z.output<typeof OrderPendingReplace>;

/**
 * Venue: the order now rests on its new terms. Same price and less quantity keeps its time priority;
 * anything else is a new place in the queue (and a new price can trade at once).
 */
export const OrderReplaced = z
  .object({
    type: z.literal('OrderReplaced'),
    ...envelopeFields,
    ...orderRef,
    orderId,
    ...terms,
    cumQty: z.number().nonnegative(),
    leavesQty: z.number().positive(),
    /** The order kept its place in the queue (a reduction at the same price). */
    keptPriority: z.boolean(),
  })
  .strict();
export type OrderReplaced = z.output<typeof OrderReplaced>;

/** A replace was refused (by risk straight back to the sender, or on the stream by the OMS or the venue): the order is unchanged. */
export const OrderReplaceRejected = z
  .object({
    type: z.literal('OrderReplaceRejected'),
    ...envelopeFields,
    ...orderRef,
    orderId: orderId.nullable(),
    ...terms,
    code: replaceRejectCode,
    /** The risk check that refused it (code DENIED_BY_RISK). */
    denyCode: denyCode.nullable().default(null),
    reason: z.string().max(500),
  })
  .strict();
export type OrderReplaceRejected = z.output<typeof OrderReplaceRejected>;
