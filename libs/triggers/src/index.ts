export { FallTriggers, gapUnits, type TrailingGap } from './fall-triggers.js';
export { PriceTriggers, type TriggerDirection } from './price-triggers.js';
export { ConditionalOrders, directionOf, TRIGGER_SOURCES, type BracketSpec, type ConditionalKind, type ConditionalSpec, type QuoteUpdate, type ReleasedOrder, type TriggerSource } from './conditional-orders.js';
export { gttRequestSchema, parseGtt, type GttIssue, type GttParsed, type GttRequest, type GttUnits } from './gtt-request.js';
