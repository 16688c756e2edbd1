export { defineStrategy, type Strategy, type StrategyContext, type StrategyDefinition, type OrderRequest } from './strategy.js';
export { StrategyHost, type CommandSink, type HostOptions, type StrategyStatus } from './strategy-host.js';
export { StrategyOrder, type TrackedOrder } from './tracked-order.js';
export { ClientOrderIds } from './client-order-ids.js';
export { BUILTIN_STRATEGIES, createStrategy } from './registry.js';
export { MarketMaker, marketMaker, marketMakerParams, type MarketMakerParams } from './builtins/market-maker.js';
export { MeanReversion, meanReversion, meanReversionParams, type MeanReversionParams } from './builtins/mean-reversion.js';
export { VwapExecution, vwapExecution, vwapParams, type VwapParams } from './builtins/vwap-execution.js';
export * from './errors.js';
