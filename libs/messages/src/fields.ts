import { z } from 'zod';

// Field types shared by every message. Identifiers are bounded so that a bad client cannot blow up
// log lines or metric label sets.

export const idString = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'ids are 1-64 chars of A-Z a-z 0-9 _ . : -' });
export const symbol = z.string().regex(/^[A-Z0-9][A-Z0-9._-]{0,15}$/, { message: 'symbols are 1-16 chars of A-Z 0-9 . _ -' });
export const orderId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Integer nanoseconds since the epoch: bigint in memory, decimal string in JSON. */
export const nanos = z.union([z.bigint(), z.string().regex(/^\d{1,20}$/, { message: 'nanosecond timestamps are decimal strings' }).transform(BigInt)]);

export const side = z.enum(['buy', 'sell']);
export type Side = z.infer<typeof side>;

export const orderType = z.enum(['limit', 'market']);
export type OrderType = z.infer<typeof orderType>;

export const timeInForce = z.enum(['gtc', 'ioc']);
export type TimeInForce = z.infer<typeof timeInForce>;

export const price = z.number().positive().finite();
export const quantity = z.number().positive().finite();

export const killSwitchScope = z.enum(['global', 'strategy', 'symbol']);
export type KillSwitchScope = z.infer<typeof killSwitchScope>;

/** FIX order states (see the OMS state machine). */
export const orderStatus = z.enum([
  'PendingNew',
  'New',
  'PartiallyFilled',
  'Filled',
  'PendingCancel',
  'Canceled',
  'Rejected',
  'Denied',
  'Expired',
]);
export type OrderStatus = z.infer<typeof orderStatus>;
