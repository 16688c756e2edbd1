import { z } from 'zod';

// Every code that travels on the wire, in one registry. Producers write these constants and consumers
// compare against them; nothing compares a bare string. Each code also names a metric label value, so
// the sets are closed.

/**
 * Why our side refused an order: it never reached the venue. The risk checks (in the order risk runs
 * them) come first, then the OMS's own refusals.
 */
export const DenyCode = {
  KillSwitch: 'kill_switch',
  RestrictedSymbol: 'restricted_symbol',
  UnknownInstrument: 'unknown_instrument',
  DuplicateClientOrderId: 'duplicate_client_order_id',
  MessageRate: 'message_rate',
  MaxOrderQty: 'max_order_qty',
  ReferencePrice: 'reference_price',
  PriceBand: 'price_band',
  MaxNotional: 'max_notional',
  MaxPosition: 'max_position',
  DailyLoss: 'daily_loss',
  /** An option order (or one in an underlying with options) would take a portfolio greek past its limit. */
  MaxDelta: 'max_delta',
  MaxGamma: 'max_gamma',
  MaxVega: 'max_vega',
  /** A greek limit applies but the contract's greeks are not known yet (no chain snapshot valued it). */
  GreeksUnavailable: 'greeks_unavailable',
  /** Risk cannot vouch for its state: Redis unreachable, persistence lagging, or still catching up. */
  RiskStateUnavailable: 'risk_state_unavailable',
  /** Risk could not hand the order to the OMS (its queue is full). */
  OmsUnavailable: 'oms_unavailable',
  /** OMS: too many ledger writes are waiting (Postgres away for long). */
  LedgerBacklogFull: 'ledger_backlog_full',
  /** OMS: a cancel for this clientOrderId arrived before the order did; the order is void for ever. */
  CanceledBeforeReceipt: 'canceled_before_receipt',
} as const;
export type DenyCode = (typeof DenyCode)[keyof typeof DenyCode];
export const DENY_CODES = Object.values(DenyCode) as [DenyCode, ...DenyCode[]];
/** The codes risk's pre-trade checks produce (the `check` label of hft_risk_denials_total). */
export const RISK_CHECKS: readonly DenyCode[] = DENY_CODES.filter((c) => c !== DenyCode.LedgerBacklogFull && c !== DenyCode.CanceledBeforeReceipt);

/**
 * Why the venue refused an order. The matching core's codes (native/crates/core/src/reject.rs) that an
 * order can meet, plus what the venue checks before the core.
 */
export const RejectCode = {
  UnknownSymbol: 'UNKNOWN_SYMBOL',
  PriceOffTick: 'PRICE_OFF_TICK',
  QtyOffLot: 'QTY_OFF_LOT',
  PostOnlyWouldCross: 'POST_ONLY_WOULD_CROSS',
  DuplicateOrderId: 'DUPLICATE_ORDER_ID',
  InvalidSide: 'INVALID_SIDE',
  InvalidOrderType: 'INVALID_ORDER_TYPE',
  InvalidOrderId: 'INVALID_ORDER_ID',
  PriceNotFinite: 'PRICE_NOT_FINITE',
  PriceNotPositive: 'PRICE_NOT_POSITIVE',
  QtyNotFinite: 'QTY_NOT_FINITE',
  QtyNegative: 'QTY_NEGATIVE',
  QtyNotPositive: 'QTY_NOT_POSITIVE',
  ValueOutOfRange: 'VALUE_OUT_OF_RANGE',
  UnknownBook: 'UNKNOWN_BOOK',
} as const;
export type RejectCode = (typeof RejectCode)[keyof typeof RejectCode];
export const REJECT_CODES = Object.values(RejectCode) as [RejectCode, ...RejectCode[]];

/** Why a cancel was refused (FIX CxlRejReason). The order's own state is told by its other events. */
export const CancelRejectCode = {
  /** The order is already filled, canceled, rejected or expired (FIX 0). */
  TooLateToCancel: 'TOO_LATE_TO_CANCEL',
  /** The venue has no order under this orderId (FIX 1). */
  UnknownOrder: 'UNKNOWN_ORDER',
} as const;
export type CancelRejectCode = (typeof CancelRejectCode)[keyof typeof CancelRejectCode];
export const CANCEL_REJECT_CODES = Object.values(CancelRejectCode) as [CancelRejectCode, ...CancelRejectCode[]];

/** Why a replace (cancel/replace: new price or quantity) was refused; the order stays as it was. */
export const ReplaceRejectCode = {
  /** The order is already filled, canceled, rejected or expired. */
  TooLateToReplace: 'TOO_LATE_TO_REPLACE',
  /** No such order (the venue, or the OMS, has none under this id). */
  UnknownOrder: 'UNKNOWN_ORDER',
  /** A cancel or another replace of the order is in flight. */
  Pending: 'CANCEL_OR_REPLACE_PENDING',
  /** The new quantity is not above what has been filled already. */
  QtyNotAboveFilled: 'QTY_NOT_ABOVE_FILLED',
  /** Only resting limit orders can be replaced (a market order never rests). */
  NotReplaceable: 'NOT_REPLACEABLE',
  /** Our risk refused the new terms (`denyCode` says which check). */
  DeniedByRisk: 'DENIED_BY_RISK',
  /** The venue refused the new terms (off tick, off lot). */
  RejectedByVenue: 'REJECTED_BY_VENUE',
} as const;
export type ReplaceRejectCode = (typeof ReplaceRejectCode)[keyof typeof ReplaceRejectCode];
export const REPLACE_REJECT_CODES = Object.values(ReplaceRejectCode) as [ReplaceRejectCode, ...ReplaceRejectCode[]];
export const replaceRejectCode = z.enum(REPLACE_REJECT_CODES);

export const denyCode = z.enum(DENY_CODES);
export const rejectCode = z.enum(REJECT_CODES);
export const cancelRejectCode = z.enum(CANCEL_REJECT_CODES);

/**
 * Why an option in a chain snapshot has no implied vol or greeks (`ok` when it has them): the native
 * pricer's per-row codes (native/crates/core/src/options.rs, in snake case) and the analytics' own.
 */
export const OptionValueCode = {
  Ok: 'ok',
  /** Neither a two-sided quote nor a trade to take a price from. */
  NoPrice: 'no_price',
  /** The underlying has neither a two-sided quote nor a trade yet. */
  NoUnderlying: 'no_underlying',
  /** The contract has expired at the snapshot's time. */
  Expired: 'expired',
  BadKind: 'bad_kind',
  BadUnderlyingOrStrike: 'bad_underlying_or_strike',
  BadTime: 'bad_time',
  ZeroTime: 'zero_time',
  BadRate: 'bad_rate',
  BadVol: 'bad_vol',
  BadPrice: 'bad_price',
  BelowIntrinsic: 'below_intrinsic',
  AboveMaximum: 'above_maximum',
} as const;
export type OptionValueCode = (typeof OptionValueCode)[keyof typeof OptionValueCode];
export const OPTION_VALUE_CODES = Object.values(OptionValueCode) as [OptionValueCode, ...OptionValueCode[]];
export const optionValueCode = z.enum(OPTION_VALUE_CODES);

/**
 * What the session's price and open-interest changes of a contract say: price up with OI up is new
 * longs (long buildup), price down with OI up new shorts, price up with OI down shorts covering,
 * price down with OI down longs unwinding.
 */
export const BuildupClass = {
  LongBuildup: 'long_buildup',
  ShortBuildup: 'short_buildup',
  ShortCovering: 'short_covering',
  LongUnwinding: 'long_unwinding',
  Neutral: 'neutral',
} as const;
export type BuildupClass = (typeof BuildupClass)[keyof typeof BuildupClass];
export const BUILDUP_CLASSES = Object.values(BuildupClass) as [BuildupClass, ...BuildupClass[]];
export const buildupClass = z.enum(BUILDUP_CLASSES);

/**
 * The VIX-divergence signal of a chain snapshot: how the underlying's option-implied vol (ATM, in vol
 * points) and its configured volatility index move against each other over the configured window.
 */
export const VolDivergenceSignal = {
  /** Implied vol rose against the index by more than the threshold (options rich to the index). */
  IvRich: 'iv_rich',
  /** Implied vol fell against the index by more than the threshold (options cheap to the index). */
  IvCheap: 'iv_cheap',
  /** Within the threshold. */
  None: 'none',
  /** Fewer than the window's worth of data time seen yet. */
  WarmingUp: 'warming_up',
  /** No print of the index yet, or no ATM implied vol. */
  NoData: 'no_data',
} as const;
export type VolDivergenceSignal = (typeof VolDivergenceSignal)[keyof typeof VolDivergenceSignal];
export const VOL_DIVERGENCE_SIGNALS = Object.values(VolDivergenceSignal) as [VolDivergenceSignal, ...VolDivergenceSignal[]];
export const volDivergenceSignal = z.enum(VOL_DIVERGENCE_SIGNALS);

/** Why the OMS refused a conditional order command (place, modify, cancel): nothing was changed. */
export const ConditionalRefuseCode = {
  UnknownInstrument: 'unknown_instrument',
  /** A price not on the instrument's tick grid, or a quantity not a whole number of lots. */
  OffGrid: 'off_grid',
  /** The parts do not make an order (a stop without a trigger price, a target on the wrong side...). */
  InvalidSpec: 'invalid_spec',
  DuplicateConditionalId: 'duplicate_conditional_id',
  UnknownConditionalOrder: 'unknown_conditional_order',
  /** Modify or cancel of an order that has released a child or ended. */
  NotModifiable: 'not_modifiable',
  /** A kill-switch covering the order is engaged: nothing new is placed. */
  KillSwitch: 'kill_switch',
  /** A trailing order without a trigger price needs a market price to trail from, and none was seen yet. */
  NoReferencePrice: 'no_reference_price',
  /** The conditional ledger's writes are too far behind (Postgres away). */
  LedgerBacklogFull: 'ledger_backlog_full',
} as const;
export type ConditionalRefuseCode = (typeof ConditionalRefuseCode)[keyof typeof ConditionalRefuseCode];
export const CONDITIONAL_REFUSE_CODES = Object.values(ConditionalRefuseCode) as [ConditionalRefuseCode, ...ConditionalRefuseCode[]];
export const conditionalRefuseCode = z.enum(CONDITIONAL_REFUSE_CODES);
