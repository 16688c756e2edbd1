export { runBacktest, type BacktestRequest, type BacktestResult, type BacktestFill, type EquityPoint } from './run-backtest.js';
