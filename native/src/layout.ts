// Record layouts shared with the Rust core (see crates/core and README "native core ABI").
// Strides come from the binding itself so the two sides cannot drift apart.
import { COMMAND_STRIDE, EVENT_STRIDE, L2_UPDATE_STRIDE } from '#binding';

export { COMMAND_STRIDE, EVENT_STRIDE, L2_UPDATE_STRIDE };

export const Side = { Buy: 0, Sell: 1 } as const;
export type Side = (typeof Side)[keyof typeof Side];

export const OrderKind = { LimitGtc: 0, LimitIoc: 1, Market: 2, LimitPostOnly: 3 } as const;
export type OrderKind = (typeof OrderKind)[keyof typeof OrderKind];

export const Op = { New: 1, Cancel: 2, CancelAll: 3, Reduce: 4 } as const;
export type Op = (typeof Op)[keyof typeof Op];

export const EventKind = { Accepted: 1, Rejected: 2, Filled: 3, Canceled: 4, Expired: 5, Reduced: 6 } as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/** `detail` of a Filled event. */
export const Liquidity = { Maker: 1, Taker: 2 } as const;
/** `detail` of a Canceled event. */
export const CancelReason = { User: 1, SelfTrade: 2, CancelAll: 3 } as const;
/** `detail` of an Expired event. */
export const ExpireReason = { Unfilled: 1 } as const;

/** Field offsets inside one event record, for hot loops that read the Float64Array directly. */
export const Ev = { kind: 0, book: 1, orderId: 2, otherId: 3, price: 4, qty: 5, leaves: 6, detail: 7 } as const;

/** Self-trade prevention modes accepted by `MatchingEngine.addBook`. */
export type StpMode = 'none' | 'cancel-resting' | 'cancel-aggressor' | 'cancel-both';
