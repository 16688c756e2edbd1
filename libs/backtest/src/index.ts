export { runBacktest, type BacktestRequest, type BacktestResult, type BacktestFill } from './run-backtest.js';
