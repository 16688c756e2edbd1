export { nowNs, nsToSeconds } from './clock.js';
export { newEventId } from './ids.js';
export * from './fields.js';
export * from './codes.js';
export { envelope, envelopeFields, type Envelope } from './envelope.js';
export * from './commands.js';
export * from './order-path.js';
export * from './order-events.js';
export * from './replace-orders.js';
export * from './control-events.js';
export * from './command-refused.js';
export * from './option-chain.js';
export * from './scanner-suggestions.js';
export * from './conditional-orders.js';
export {
  catalog,
  isMessageType,
  VENUE_REPORT_TYPES,
  ORDER_EVENT_TYPES,
  CONDITIONAL_EVENT_TYPES,
  type ConditionalEvent,
  type Message,
  type MessageInput,
  type MessageOf,
  type MessageType,
  type VenueReport,
  type OrderEvent,
  type OrderEventType,
} from './catalog.js';
export { wire, type DaemonName, type StreamContract, type CommandContract, type WireName, type StreamName, type CommandName, type StreamMessage } from './wire-contract.js';
export { DROP_REASONS, drop, type Drop, type DropReason, type Decoded } from './decoded.js';
export { encodeMessage, encodeMessageText, decodeMessage, parseMessage, MAX_JSON_FRAME, MAX_ANALYTICS_FRAME } from './json-codec.js';
export { SequenceTracker } from './sequence-tracker.js';
export { RecentIds } from './recent-ids.js';
export { topics, topicMatches, TICK_PREFIX, BOOK_PREFIX, BOOK_SAMPLED_PREFIX, offPathBookPrefix, TRADE_PREFIX, CHAIN_PREFIX, tradesOnlyTickPrefix, ORDER_EVENTS_PREFIX, CONDITIONAL_PREFIX, CONTROL_PREFIX, READY_PREFIX } from './topics.js';
export { FRAME_VERSION, FRAME_HEADER_BYTES, FrameKind, unitsToDecimal, writeEpochNs } from './binary-frame.js';
export { TickFrameEncoder, decodeTickFrame, TickKind, TICK_KIND_NAMES, Aggressor, TICK_RECORD_BYTES, type Tick, type TickFrame, type TickKindName } from './tick-codec.js';
export {
  encodeBookSnapshot,
  decodeBookSnapshot,
  MAX_BOOK_LEVELS,
  type BookSnapshot,
  type BookSnapshotInput,
  type BookLevel,
} from './book-codec.js';
export type { LedgerTrade, PositionRow, RiskPosition, OpenOrderRow, StrategyState, OrderEventPage } from './api-rows.js';
