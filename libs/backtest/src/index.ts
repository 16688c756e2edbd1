export { runBacktest, type BacktestRequest, type BacktestResult, type BacktestFill, type EquityPoint, type PriceSeries, type TickToTrade } from './run-backtest.js';
