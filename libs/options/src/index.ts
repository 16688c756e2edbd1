export { OptionChainState, type ChainExpirySlots } from './option-chain-state.js';
export { ChainAnalytics, YEAR_MS, type PricingInputs } from './chain-analytics.js';
export { classifyBuildup, type Buildup } from './buildup.js';
export { maxPain } from './max-pain.js';
export { gammaExposure, gammaWalls } from './gamma-exposure.js';
export { ChainFeed, type BboReader, type ChainTick } from './chain-feed.js';
export { VolDivergence } from './vol-divergence.js';
