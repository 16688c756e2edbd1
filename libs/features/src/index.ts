export { Ema } from './ema.js';
export { RollingStats } from './rolling-stats.js';
export { Vwap } from './vwap.js';
export { CandleBuilder, type Candle } from './candles.js';
export { imbalance, microprice } from './book-features.js';
export { classifyTrade } from './trade-side.js';
export { SymbolFeatures, DEFAULT_FEATURES, type FeatureSettings } from './symbol-features.js';
