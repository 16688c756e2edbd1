export { FallTriggers, gapUnits, type TrailingGap } from './fall-triggers.js';
export { PriceTriggers, type TriggerDirection } from './price-triggers.js';
export { ConditionalOrders, directionOf, TRIGGER_SOURCES, type BracketSpec, type ConditionalKind, type ConditionalSpec, type QuoteUpdate, type Reference, type ReleasedOrder, type TriggerSource } from './conditional-orders.js';
export { gttRequestSchema, parseGtt, type GttIssue, type GttParsed, type GttRequest, type GttUnits } from './gtt-request.js';
export { ConditionalBook, type BookHooks, type ChildEnd, type PartLevel, type Refusal } from './conditional-book.js';
export {
  applyChange,
  applyTrail,
  isOpen,
  legNames,
  partId,
  partNames,
  partSide,
  partSpec,
  splitPartId,
  type ChildOrder,
  type ConditionalChange,
  type ConditionalOrderSpec,
  type ConditionalRecord,
  type Marks,
  type PartName,
  type PartSpec,
  type PartState,
} from './conditional-record.js';
export { childProgress, conditionalEvent, gttToPlace, onGrid, toPart, toSpec, toView, type PlaceFields } from './conditional-wire.js';
