import { z } from 'zod';
import { conditionalRefuseCode, denyCode, rejectCode } from './codes.js';
import { envelopeFields } from './envelope.js';
import { idString, price, quantity, side, symbol } from './fields.js';

// Conditional orders (stops, if-touched, trailing stops, OCO, OTO, brackets, GTT): held by the OMS's
// trigger engine until the market reaches them, then released as new orders that go through risk.
// Commands go to the OMS's `conditional` socket (or REST /api/v1/gtt); what happens to them is
// published on the order-event socket under `conditional.<STRATEGY>`, sequenced per strategy.

export const conditionalKind = z.enum(['stop', 'stop_limit', 'market_if_touched', 'limit_if_touched', 'trailing_stop', 'trailing_stop_limit']);
export const triggerSource = z.enum(['last', 'bid', 'ask', 'mid']);

/** One part (the entry or a leg): what releases it and what it releases. Decimal prices. */
export const conditionalPart = z
  .object({
    kind: conditionalKind,
    triggerOn: triggerSource.default('last'),
    /** Fixed kinds: the level; trailing kinds: where the level starts (a floor for a sell, a ceiling for a buy). */
    triggerPrice: price.optional(),
    /** stop_limit, limit_if_touched: the child's limit price. */
    limitPrice: price.optional(),
    /** Trailing kinds: the gap behind the best price, in price (trailingGap) or basis points (trailingBps). */
    trailingGap: price.optional(),
    trailingBps: z.number().int().positive().max(10_000).optional(),
    /** trailing_stop_limit: the child's limit is this far beyond the trigger level. */
    limitOffset: z.number().nonnegative().finite().optional(),
  })
  .strict();
export type ConditionalPart = z.output<typeof conditionalPart>;

/**
 * Place a conditional order. With an `entry`, the entry waits for its trigger and the legs (target,
 * stop-loss; an OCO pair when two) wait from the entry's fill, sized to what filled. Without an entry,
 * the legs wait now for `quantity` on the exit side of `side` (an OCO or a single exit on a position).
 */
export const PlaceConditionalOrder = z
  .object({
    type: z.literal('PlaceConditionalOrder'),
    ...envelopeFields,
    strategyId: idString,
    /** The client's id for it: 1-48 chars (its children are `<id>:entry`, `<id>:leg0`, `<id>:leg1`). */
    conditionalId: z.string().regex(/^[A-Za-z0-9_.-]{1,48}$/, { message: 'conditional ids are 1-48 chars of A-Z a-z 0-9 _ . -' }),
    symbol,
    /** The entry's side (or the position's side, for exits without an entry). */
    side,
    quantity,
    entry: conditionalPart.nullable(),
    legs: z.array(conditionalPart).max(2),
  })
  .strict();
export type PlaceConditionalOrder = z.output<typeof PlaceConditionalOrder>;

/** Replace the parts still waiting (before anything was released): trailing marks carry over. */
export const ModifyConditionalOrder = z
  .object({
    type: z.literal('ModifyConditionalOrder'),
    ...envelopeFields,
    strategyId: idString,
    conditionalId: idString,
    quantity: quantity.optional(),
    entry: conditionalPart.nullable().optional(),
    legs: z.array(conditionalPart).max(2).optional(),
  })
  .strict();
export type ModifyConditionalOrder = z.output<typeof ModifyConditionalOrder>;

/** Cancel what still waits; children already released are orders like any other (cancel them by clientOrderId). */
export const CancelConditionalOrder = z
  .object({ type: z.literal('CancelConditionalOrder'), ...envelopeFields, strategyId: idString, conditionalId: idString, reason: z.string().max(200).default('requested') })
  .strict();
export type CancelConditionalOrder = z.output<typeof CancelConditionalOrder>;

/** OMS -> the client that sent a conditional command: refused, nothing changed. */
export const ConditionalOrderRefused = z
  .object({ type: z.literal('ConditionalOrderRefused'), ...envelopeFields, strategyId: idString, conditionalId: z.string().max(64), code: conditionalRefuseCode, reason: z.string().max(500) })
  .strict();
export type ConditionalOrderRefused = z.output<typeof ConditionalOrderRefused>;

/**
 * Pending: the entry waits. Triggered: a part released its child, which is working. Armed: the legs
 * wait (the entry filled, or there was none). Completed: an exit (or a lone entry) filled. Canceled,
 * Denied (a child refused by our risk), Rejected (a child refused by the venue): ended.
 */
export const conditionalStatus = z.enum(['Pending', 'Triggered', 'Armed', 'Completed', 'Canceled', 'Denied', 'Rejected']);
export type ConditionalStatus = z.infer<typeof conditionalStatus>;
/** Where a conditional order can still change. */
export const OPEN_CONDITIONAL_STATUSES: readonly ConditionalStatus[] = ['Pending', 'Triggered', 'Armed'];

/** A part's state: idle (a leg before the entry filled), waiting, triggered (its child released), canceled. */
export const partStatus = z.enum(['idle', 'waiting', 'triggered', 'canceled']);
export type PartStatus = z.infer<typeof partStatus>;

/** A conditional order as it stands, decimals (every event carries it). */
export const conditionalView = z
  .object({
    conditionalId: z.string().max(64),
    strategyId: idString,
    symbol,
    side,
    quantity,
    status: conditionalStatus,
    /** The entry's filled quantity (what the legs cover). */
    filledQty: z.number().nonnegative(),
    parts: z.array(
      conditionalPart.extend({
        part: z.enum(['entry', 'leg0', 'leg1']),
        status: partStatus,
        side,
        /** The level that releases it now (trailing: moves with the mark); null while idle or over. */
        level: z.number().nullable(),
        /** Trailing kinds: the best price since it started waiting (the high- or low-water mark). */
        extreme: z.number().nullable(),
        /** Its child order, once released. */
        clientOrderId: idString.nullable(),
        cumQty: z.number().nonnegative(),
      }),
    ),
    reason: z.string().max(500).nullable(),
  })
  .strict();
export type ConditionalView = z.output<typeof conditionalView>;

const eventFields = { ...envelopeFields, strategyId: idString, conditionalId: z.string().max(64), symbol, conditional: conditionalView };

export const ConditionalOrderPlaced = z.object({ type: z.literal('ConditionalOrderPlaced'), ...eventFields }).strict();
export const ConditionalOrderModified = z.object({ type: z.literal('ConditionalOrderModified'), ...eventFields }).strict();
/** A part's trigger was crossed: its child order went to risk. */
export const ConditionalOrderTriggered = z
  .object({
    type: z.literal('ConditionalOrderTriggered'),
    ...eventFields,
    part: z.enum(['entry', 'leg0', 'leg1']),
    clientOrderId: idString,
    /** The watched price that crossed, and the level it crossed (decimals). */
    source: triggerSource,
    price: z.number(),
    level: z.number(),
    /** The tick that crossed it (its sequence number on md.tick.<SYMBOL>). */
    tickSeq: z.number().int().nonnegative().nullable(),
  })
  .strict();
/** The legs wait for `quantity` (the entry's fills so far). */
export const ConditionalOrderArmed = z.object({ type: z.literal('ConditionalOrderArmed'), ...eventFields, quantity }).strict();
export const ConditionalOrderCompleted = z.object({ type: z.literal('ConditionalOrderCompleted'), ...eventFields }).strict();
export const ConditionalOrderCanceled = z.object({ type: z.literal('ConditionalOrderCanceled'), ...eventFields, reason: z.string().max(500) }).strict();
/** A child was refused by our risk: the conditional order ends with the reason. */
export const ConditionalOrderDenied = z.object({ type: z.literal('ConditionalOrderDenied'), ...eventFields, clientOrderId: idString, code: denyCode, reason: z.string().max(500) }).strict();
/** A child was refused by the venue. */
export const ConditionalOrderRejected = z.object({ type: z.literal('ConditionalOrderRejected'), ...eventFields, clientOrderId: idString, code: rejectCode, reason: z.string().max(500) }).strict();

export type ConditionalOrderPlaced = z.output<typeof ConditionalOrderPlaced>;
export type ConditionalOrderModified = z.output<typeof ConditionalOrderModified>;
export type ConditionalOrderTriggered = z.output<typeof ConditionalOrderTriggered>;
export type ConditionalOrderArmed = z.output<typeof ConditionalOrderArmed>;
export type ConditionalOrderCompleted = z.output<typeof ConditionalOrderCompleted>;
export type ConditionalOrderCanceled = z.output<typeof ConditionalOrderCanceled>;
export type ConditionalOrderDenied = z.output<typeof ConditionalOrderDenied>;
export type ConditionalOrderRejected = z.output<typeof ConditionalOrderRejected>;
