import type { BacktestResult } from '@hft/backtest';

export interface RunMetrics {
  pnl: number;
  /** The PnL changes' mean over their deviation per equity interval, annualized (252 days of 6.5 h); null when flat. */
  sharpe: number | null;
  /** The largest fall of PnL from an earlier peak (currency, >= 0). */
  maxDrawdown: number;
  /** Fills per order sent (null without orders). */
  fillRatio: number | null;
  orders: number;
  fills: number;
  fees: number;
  ticks: number;
  wallSeconds: number;
}

const TRADING_YEAR_S = 252 * 6.5 * 3600;

/** The figures a sweep compares runs by, from one backtest of one strategy. */
export function runMetrics(r: BacktestResult, strategyId: string, equityEveryMs: number): RunMetrics {
  const st = r.strategies.find((s) => s.id === strategyId);
  const curve = r.equity.map((p) => p.byStrategy[strategyId] ?? 0);
  let peak = 0;
  let dd = 0;
  for (const x of curve) {
    peak = Math.max(peak, x);
    dd = Math.max(dd, peak - x);
  }
  const steps = curve.slice(1).map((x, i) => x - curve[i]!);
  const mean = steps.reduce((a, b) => a + b, 0) / (steps.length || 1);
  const sd = Math.sqrt(steps.reduce((a, b) => a + (b - mean) ** 2, 0) / (steps.length || 1));
  const sharpe = steps.length > 1 && sd > 1e-12 ? (mean / sd) * Math.sqrt(TRADING_YEAR_S / (equityEveryMs / 1000)) : null;
  return {
    pnl: st?.pnl ?? 0,
    sharpe: sharpe === null ? null : Math.round(sharpe * 1e4) / 1e4,
    maxDrawdown: Math.round(dd * 1e6) / 1e6,
    fillRatio: r.orders > 0 ? Math.round((r.fills / r.orders) * 1e6) / 1e6 : null,
    orders: r.orders,
    fills: r.fills,
    fees: Math.round((st?.positions.reduce((a, p) => a + p.fees, 0) ?? 0) * 1e6) / 1e6,
    ticks: r.ticks,
    wallSeconds: r.wallSeconds,
  };
}
