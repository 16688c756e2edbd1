import type { z } from 'zod';
import { CancelAllOrders, CancelOrder, CheckOrder, QueryOrderStatus, SubmitOrder } from './commands.js';
import { KillSwitchChanged, LimitsChanged } from './control-events.js';
import {
  OrderAccepted,
  OrderApproved,
  OrderCanceled,
  OrderCancelRejected,
  OrderCheckResult,
  OrderDenied,
  OrderExpired,
  OrderFilled,
  OrderRejected,
  OrderStatusReported,
  OrderSubmitted,
} from './order-events.js';

/** Every JSON message type, by its `type` field. */
export const catalog = {
  SubmitOrder,
  CancelOrder,
  CancelAllOrders,
  QueryOrderStatus,
  CheckOrder,
  OrderApproved,
  OrderDenied,
  OrderAccepted,
  OrderRejected,
  OrderFilled,
  OrderCanceled,
  OrderCancelRejected,
  OrderExpired,
  OrderStatusReported,
  OrderSubmitted,
  OrderCheckResult,
  KillSwitchChanged,
  LimitsChanged,
} as const;

export type MessageType = keyof typeof catalog;
export type MessageOf<T extends MessageType> = z.output<(typeof catalog)[T]>;
export type Message = { [T in MessageType]: MessageOf<T> }[MessageType];
/** What a producer writes: defaults (e.g. postOnly) may be omitted. */
export type MessageInput<T extends MessageType> = z.input<(typeof catalog)[T]> & { type: T };

/** Execution reports: what the venue publishes per strategy. */
export const EXECUTION_REPORT_TYPES = [
  'OrderAccepted',
  'OrderRejected',
  'OrderFilled',
  'OrderCanceled',
  'OrderCancelRejected',
  'OrderExpired',
  'OrderStatusReported',
] as const satisfies readonly MessageType[];
export type ExecutionReport = MessageOf<(typeof EXECUTION_REPORT_TYPES)[number]>;

export function isMessageType(t: unknown): t is MessageType {
  return typeof t === 'string' && Object.hasOwn(catalog, t);
}
