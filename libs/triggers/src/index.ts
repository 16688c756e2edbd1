export { FallTriggers, gapUnits, type TrailingGap } from './fall-triggers.js';
export { PriceTriggers, type TriggerDirection } from './price-triggers.js';
