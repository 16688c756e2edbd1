import type { z } from 'zod';
import { CancelAllOrders, CancelOrder, CheckOrder, QueryOrderStatus, SubmitOrder, VenueCancelOrder, VenueSubmitOrder } from './commands.js';
import { CommandRefused } from './command-refused.js';
import {
  CancelConditionalOrder,
  ConditionalOrderArmed,
  ConditionalOrderCanceled,
  ConditionalOrderCompleted,
  ConditionalOrderDenied,
  ConditionalOrderModified,
  ConditionalOrderPlaced,
  ConditionalOrderRefused,
  ConditionalOrderRejected,
  ConditionalOrderTriggered,
  ModifyConditionalOrder,
  PlaceConditionalOrder,
} from './conditional-orders.js';
import { KillSwitchChanged, LimitsChanged } from './control-events.js';
import { OrderPendingReplace, OrderReplaced, OrderReplaceRejected, ReplaceOrder, VenueReplaceOrder } from './replace-orders.js';
import { OptionChainSnapshot } from './option-chain.js';
import { ScannerSuggestions } from './scanner-suggestions.js';
import {
  OrderAccepted,
  OrderApproved,
  OrderCanceled,
  OrderCancelRejected,
  OrderCheckResult,
  OrderDenied,
  OrderExpired,
  OrderFilled,
  OrderPendingCancel,
  OrderRejected,
  OrderStatusReported,
  OrderStreamHeads,
  OrderSubmitted,
} from './order-events.js';

/** Every JSON message type, by its `type` field. */
export const catalog = {
  SubmitOrder,
  CancelOrder,
  CancelAllOrders,
  CheckOrder,
  VenueSubmitOrder,
  VenueCancelOrder,
  QueryOrderStatus,
  ReplaceOrder,
  VenueReplaceOrder,
  OrderApproved,
  OrderDenied,
  OrderSubmitted,
  OrderAccepted,
  OrderRejected,
  OrderFilled,
  OrderPendingCancel,
  OrderCanceled,
  OrderCancelRejected,
  OrderExpired,
  OrderPendingReplace,
  OrderReplaced,
  OrderReplaceRejected,
  OrderStatusReported,
  OrderStreamHeads,
  OrderCheckResult,
  KillSwitchChanged,
  LimitsChanged,
  CommandRefused,
  OptionChainSnapshot,
  ScannerSuggestions,
  PlaceConditionalOrder,
  ModifyConditionalOrder,
  CancelConditionalOrder,
  ConditionalOrderRefused,
  ConditionalOrderPlaced,
  ConditionalOrderModified,
  ConditionalOrderTriggered,
  ConditionalOrderArmed,
  ConditionalOrderCompleted,
  ConditionalOrderCanceled,
  ConditionalOrderDenied,
  ConditionalOrderRejected,
} as const;

export type MessageType = keyof typeof catalog;
export type MessageOf<T extends MessageType> = z.output<(typeof catalog)[T]>;
export type Message = { [T in MessageType]: MessageOf<T> }[MessageType];
/** What a producer writes: defaults (e.g. postOnly) may be omitted. */
export type MessageInput<T extends MessageType> = z.input<(typeof catalog)[T]> & { type: T };

/** What the venue reports to the OMS about an order it holds. */
export const VENUE_REPORT_TYPES = ['OrderAccepted', 'OrderRejected', 'OrderFilled', 'OrderCanceled', 'OrderCancelRejected', 'OrderExpired', 'OrderReplaced', 'OrderReplaceRejected'] as const satisfies readonly MessageType[];
export type VenueReport = MessageOf<(typeof VENUE_REPORT_TYPES)[number]>;

/** Everything that can happen to an order: the messages of the order-event stream. */
export const ORDER_EVENT_TYPES = ['OrderSubmitted', 'OrderDenied', ...VENUE_REPORT_TYPES, 'OrderPendingCancel', 'OrderPendingReplace'] as const satisfies readonly MessageType[];
export type OrderEvent = MessageOf<(typeof ORDER_EVENT_TYPES)[number]>;
export type OrderEventType = OrderEvent['type'];

/** What happens to a conditional order: the messages of `conditional.<STRATEGY>` on the order-event socket. */
export const CONDITIONAL_EVENT_TYPES = [
  'ConditionalOrderPlaced',
  'ConditionalOrderModified',
  'ConditionalOrderTriggered',
  'ConditionalOrderArmed',
  'ConditionalOrderCompleted',
  'ConditionalOrderCanceled',
  'ConditionalOrderDenied',
  'ConditionalOrderRejected',
] as const satisfies readonly MessageType[];
export type ConditionalEvent = MessageOf<(typeof CONDITIONAL_EVENT_TYPES)[number]>;

export function isMessageType(t: unknown): t is MessageType {
  return typeof t === 'string' && Object.hasOwn(catalog, t);
}
