import type { EquityPoint, TickToTrade } from '@hft/backtest';
import { drawdownFigure, esc, H, num, PALETTE, paramText, reportPage, W } from './report-html.js';
import type { RunMetrics } from './run-metrics.js';

/** What a sweep report is drawn from: the sweep, and each run with its equity curve. */
export interface ReportRun extends Omit<RunMetrics, 'ticks' | 'wallSeconds'> {
  jobKey: string;
  strategyId: string;
  changes: Record<string, string | number | boolean>;
  worker: string;
  equity: EquityPoint[];
  tickToTrade?: TickToTrade;
}

/** Where monitoring serves a sweep run's own report (relative to the sweep report's address). */
export function runReportHref(sweepId: string, jobKey: string): string {
  return `/api/v1/sweeps/${encodeURIComponent(sweepId)}/runs/${encodeURIComponent(jobKey)}/report`;
}


/** A diverging colour for a PnL against the largest absolute one: red losses, green gains. */
function colour(x: number, max: number): string {
  const t = max > 0 ? Math.max(-1, Math.min(1, x / max)) : 0;
  return t >= 0 ? `rgb(${Math.round(230 - 170 * t)},${Math.round(230 - 40 * t)},${Math.round(230 - 150 * t)})` : `rgb(${Math.round(230 + 10 * t)},${Math.round(230 + 150 * t)},${Math.round(230 + 150 * t)})`;
}

/** PnL over two swept parameters (rows x columns), or over one (a single row). */
function heatMap(runs: readonly ReportRun[], strategyId: string): string {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.changes)))];
  if (keys.length === 0) return '';
  const [xk, yk] = [keys[0]!, keys[1]];
  const xs = [...new Set(runs.map((r) => r.changes[xk]))].sort((a, b) => (a! < b! ? -1 : 1));
  const ys = yk ? [...new Set(runs.map((r) => r.changes[yk]))].sort((a, b) => (a! < b! ? -1 : 1)) : [undefined];
  const max = Math.max(...runs.map((r) => Math.abs(r.pnl)));
  const cw = Math.min(120, Math.floor((W - 120) / xs.length));
  const ch = 34;
  const cells: string[] = [];
  ys.forEach((y, j) => {
    cells.push(`<text x="110" y="${40 + j * ch + ch / 2 + 4}" text-anchor="end">${yk ? `${esc(yk)}=${esc(String(y))}` : ''}</text>`);
    xs.forEach((x, i) => {
      const r = runs.find((q) => q.changes[xk] === x && (!yk || q.changes[yk] === y));
      const rx = 120 + i * cw;
      const ry = 40 + j * ch;
      cells.push(r ? `<rect class="cell" data-key="${r.jobKey}" x="${rx}" y="${ry}" width="${cw - 2}" height="${ch - 2}" fill="${colour(r.pnl, max)}"><title>${esc(JSON.stringify(r.changes))}: PnL ${num(r.pnl)}</title></rect><text x="${rx + cw / 2}" y="${ry + ch / 2 + 4}" text-anchor="middle">${num(r.pnl)}</text>` : '');
    });
  });
  const head = xs.map((x, i) => `<text x="${120 + i * cw + cw / 2}" y="32" text-anchor="middle">${esc(String(x))}</text>`).join('');
  const others = keys.slice(2);
  return `<figure><figcaption>PnL of ${esc(strategyId)} by ${esc(xk)}${yk ? ` (columns) and ${esc(yk)} (rows)` : ''}${others.length ? `; also swept: ${others.map(esc).join(', ')} (the first run of each cell shown)` : ''}</figcaption>
<svg class="heatmap" viewBox="0 0 ${W} ${50 + ys.length * ch}" role="img" aria-label="PnL heat map of ${esc(strategyId)}"><text x="120" y="16">${esc(xk)}</text>${head}${cells.join('')}</svg></figure>`;
}

/** Lines of PnL over data time for the best runs, and the best run's drawdown below. */
function curves(runs: readonly ReportRun[]): string {
  const best = [...runs].sort((a, b) => b.pnl - a.pnl).slice(0, 5).filter((r) => r.equity.length > 1);
  if (best.length === 0) return '<p class="note">No equity curve (no run has two samples).</p>';
  const series = best.map((r) => r.equity.map((p) => [Number(BigInt(p.ts) / 1_000_000n), p.byStrategy[r.strategyId] ?? p.pnl] as const));
  const t0 = Math.min(...series.map((s) => s[0]![0]));
  const t1 = Math.max(...series.map((s) => s.at(-1)![0]));
  const all = series.flat().map((p) => p[1]);
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const x = (t: number): number => 50 + ((t - t0) / Math.max(1, t1 - t0)) * (W - 60);
  const y = (v: number): number => 10 + ((hi - v) / Math.max(1e-9, hi - lo)) * (H - 30);
  const lines = series.map((s, i) => `<polyline class="equity" fill="none" stroke="${PALETTE[i]}" stroke-width="1.5" points="${s.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"><title>${esc(best[i]!.strategyId)} ${esc(JSON.stringify(best[i]!.changes))}</title></polyline>`);
  const legend = best.map((r, i) => `<span style="color:${PALETTE[i]}">&#9632;</span> ${esc(r.strategyId)} ${esc(paramText(r.changes))} (${num(r.pnl)})`).join(' &nbsp; ');
  return `<figure><figcaption>Equity (PnL over data time) of the best ${best.length} runs</figcaption><svg class="equity-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="equity curves"><line class="zero" x1="50" x2="${W - 10}" y1="${y(0)}" y2="${y(0)}"/><text x="4" y="${y(hi) + 4}">${num(hi)}</text><text x="4" y="${y(lo)}">${num(lo)}</text>${lines.join('')}</svg><p class="legend">${legend}</p></figure>
${drawdownFigure(series[0]!, x, 'the best run')}`;
}

/** A sweep's report: one self-contained HTML page (inline SVG, no scripts), what the dashboard opens. */
export function sweepReport(sweep: { sweepId: string; name: string; jobs: number; createdAt: string }, runs: readonly ReportRun[]): string {
  const byStrategy = new Map<string, ReportRun[]>();
  for (const r of runs) byStrategy.set(r.strategyId, [...(byStrategy.get(r.strategyId) ?? []), r]);
  const rows = [...runs]
    .sort((a, b) => b.pnl - a.pnl)
    .map((r, i) => `<tr><td>${i + 1}</td><td>${esc(r.strategyId)}</td><td>${esc(paramText(r.changes))}</td><td>${num(r.pnl)}</td><td>${num(r.sharpe)}</td><td>${num(r.maxDrawdown)}</td><td>${num(r.fillRatio, 3)}</td><td>${r.fills}/${r.orders}</td><td>${num(r.fees)}</td><td>${num(r.tickToTrade?.p50Us ?? null, 1)} / ${num(r.tickToTrade?.p99Us ?? null, 1)}</td><td>${esc(r.worker)}</td><td><a class="run-report" href="${runReportHref(sweep.sweepId, r.jobKey)}">run</a></td></tr>`)
    .join('');
  return reportPage(
    `sweep ${sweep.name}`,
    `<h1>Sweep ${esc(sweep.name)} <small class="note">${esc(sweep.sweepId)}</small></h1>
<p class="summary">${runs.length} of ${sweep.jobs} runs done · created ${esc(sweep.createdAt)}</p>
${[...byStrategy].map(([s, rs]) => heatMap(rs, s)).join('\n')}
${curves(runs)}
<table class="runs"><thead><tr><th>#</th><th>strategy</th><th>parameters</th><th>PnL</th><th>Sharpe</th><th>max DD</th><th>fill ratio</th><th>fills/orders</th><th>fees</th><th>tick-to-trade p50/p99 µs</th><th>worker</th><th>report</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}
