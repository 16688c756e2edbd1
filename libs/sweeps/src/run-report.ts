import type { BacktestFill, BacktestResult, EquityPoint, PriceSeries, TickToTrade } from '@hft/backtest';
import { drawdownFigure, esc, H, num, PALETTE, paramText, reportPage, W } from './report-html.js';

/** What a run's report is drawn from: a backtest's result (or the part of it a sweep keeps). */
export interface RunReportData {
  title: string;
  files: readonly string[];
  equity: EquityPoint[];
  strategies: readonly { id: string; pnl: number; positions: readonly { symbol: string; qty: number; realized: number; unrealized: number; fees: number }[] }[];
  fills: readonly BacktestFill[];
  prices: readonly PriceSeries[];
  tickToTrade: TickToTrade;
  ticks: number;
  orders: number;
  fillCount: number;
  dataSeconds: number;
  wallSeconds: number;
  /** A sweep run: the strategy whose parameters it varied. */
  parameters?: Record<string, string | number | boolean>;
}

const MAX_PRICE_CHARTS = 6;

const msOf = (p: EquityPoint): number => Number(BigInt(p.ts) / 1_000_000n);

function axes(lo: number, hi: number, h: number): string {
  return `<text x="4" y="14">${num(hi)}</text><text x="4" y="${h - 6}">${num(lo)}</text>`;
}

/** Total PnL and each strategy's over data time, and the total's drawdown below its running peak. */
function equityCharts(d: RunReportData): string {
  if (d.equity.length < 2) return '<p class="note">No equity curve: the run has fewer than two equity samples.</p>';
  const t0 = msOf(d.equity[0]!);
  const t1 = msOf(d.equity.at(-1)!);
  const ids = d.strategies.map((s) => s.id);
  const series: [string, [number, number][]][] = [['total', d.equity.map((p) => [msOf(p), p.pnl])], ...ids.map((id) => [id, d.equity.map((p) => [msOf(p), p.byStrategy[id] ?? 0])] as [string, [number, number][]])];
  const all = series.flatMap(([, s]) => s.map((p) => p[1]));
  const lo = Math.min(0, ...all);
  const hi = Math.max(0, ...all);
  const x = (t: number): number => 50 + ((t - t0) / Math.max(1, t1 - t0)) * (W - 60);
  const y = (v: number): number => 10 + ((hi - v) / Math.max(1e-9, hi - lo)) * (H - 30);
  const lines = series.map(([name, s], i) => `<polyline class="equity" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="${i === 0 ? 2.5 : 1.2}" points="${s.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"><title>${esc(name)}</title></polyline>`);
  const legend = series.map(([name, s], i) => `<span style="color:${PALETTE[i % PALETTE.length]}">&#9632;</span> ${esc(name)} (${num(s.at(-1)![1])})`).join(' &nbsp; ');
  return `<figure><figcaption>Equity: PnL over data time, in total and per strategy</figcaption><svg class="equity-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="equity curves"><line class="zero" x1="50" x2="${W - 10}" y1="${y(0)}" y2="${y(0)}"/>${axes(lo, hi, H)}${lines.join('')}</svg><p class="legend">${legend}</p></figure>
${drawdownFigure(series[0]![1], x, 'the total')}`;
}

/** PnL (realized + unrealized - fees) of each strategy in each symbol, as bars and a table. */
function pnlBySymbol(d: RunReportData): string {
  const rows = d.strategies.flatMap((s) => s.positions.map((p) => ({ strategy: s.id, symbol: p.symbol, pnl: p.realized + p.unrealized - p.fees, realized: p.realized, unrealized: p.unrealized, fees: p.fees, qty: p.qty })));
  if (rows.length === 0) return '<p class="note">No positions: no strategy traded.</p>';
  const max = Math.max(1e-9, ...rows.map((r) => Math.abs(r.pnl)));
  const bh = 22;
  const mid = W / 2 + 60;
  const half = W - mid - 20;
  const bars = rows
    .map((r, i) => {
      const w = (Math.abs(r.pnl) / max) * half;
      const yy = 8 + i * bh;
      return `<text x="${mid - half - 8}" y="${yy + 14}" text-anchor="end">${esc(r.strategy)} ${esc(r.symbol)}</text><rect class="bar ${r.pnl >= 0 ? 'gain' : 'loss'}" x="${r.pnl >= 0 ? mid : mid - w}" y="${yy}" width="${Math.max(1, w).toFixed(1)}" height="${bh - 6}" fill="${r.pnl >= 0 ? '#3fb97c' : '#e05d5d'}"><title>${esc(r.strategy)} ${esc(r.symbol)}: ${num(r.pnl)}</title></rect><text x="${mid + (r.pnl >= 0 ? w : 0) + 4}" y="${yy + 14}">${num(r.pnl)}</text>`;
    })
    .join('');
  const table = rows.map((r) => `<tr><td>${esc(r.strategy)}</td><td>${esc(r.symbol)}</td><td>${num(r.qty, 4)}</td><td>${num(r.realized)}</td><td>${num(r.unrealized)}</td><td>${num(r.fees)}</td><td>${num(r.pnl)}</td></tr>`).join('');
  return `<figure><figcaption>PnL by strategy and symbol (realized + unrealized - fees)</figcaption><svg class="pnl-chart" viewBox="0 0 ${W} ${16 + rows.length * bh}" role="img" aria-label="PnL by strategy and symbol"><line class="zero" x1="${mid}" x2="${mid}" y1="0" y2="${16 + rows.length * bh}"/>${bars}</svg></figure>
<table class="pnl"><thead><tr><th>strategy</th><th>symbol</th><th>position</th><th>realized</th><th>unrealized</th><th>fees</th><th>PnL</th></tr></thead><tbody>${table}</tbody></table>`;
}

/** Each traded symbol's price over data time with the run's buys (green, up) and sells (red, down) on it. */
function fillCharts(d: RunReportData): string {
  const bySymbol = new Map<string, BacktestFill[]>();
  for (const f of d.fills) {
    const list = bySymbol.get(f.symbol);
    if (list) list.push(f);
    else bySymbol.set(f.symbol, [f]);
  }
  const symbols = [...bySymbol.keys()].slice(0, MAX_PRICE_CHARTS);
  if (symbols.length === 0) return '<p class="note">No fills to draw.</p>';
  return symbols
    .map((sym) => {
      const fills = bySymbol.get(sym)!;
      const pts = d.prices.find((p) => p.symbol === sym)?.points ?? [];
      const fillPts = fills.map((f) => [Number(BigInt(f.ts) / 1_000_000n), f.price, f] as const);
      const ts = [...pts.map((p) => p[0]), ...fillPts.map((p) => p[0])];
      const pxs = [...pts.map((p) => p[1]), ...fillPts.map((p) => p[1])];
      const [t0, t1, lo, hi] = [Math.min(...ts), Math.max(...ts), Math.min(...pxs), Math.max(...pxs)];
      const x = (t: number): number => 50 + ((t - t0) / Math.max(1, t1 - t0)) * (W - 60);
      const y = (v: number): number => 10 + ((hi - v) / Math.max(1e-9, hi - lo)) * (H - 30);
      const line = pts.length > 1 ? `<polyline class="price" fill="none" stroke="#556" stroke-width="1" points="${pts.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>` : '';
      const marks = fillPts
        .map(([t, px, f]) => {
          const cx = x(t);
          const cy = y(px);
          const tri = f.side === 'buy' ? `${cx - 4},${cy + 5} ${cx + 4},${cy + 5} ${cx},${cy - 3}` : `${cx - 4},${cy - 5} ${cx + 4},${cy - 5} ${cx},${cy + 3}`;
          return `<polygon class="fill ${f.side}" points="${tri}" fill="${f.side === 'buy' ? '#3fb97c' : '#e05d5d'}"><title>${esc(f.strategyId)} ${f.side} ${f.qty} @ ${f.price} (${f.liquidity})</title></polygon>`;
        })
        .join('');
      const buys = fills.filter((f) => f.side === 'buy').length;
      return `<figure><figcaption>${esc(sym)}: last trade price at each equity step, with the run's ${buys} buys and ${fills.length - buys} sells</figcaption><svg class="price-chart" data-symbol="${esc(sym)}" viewBox="0 0 ${W} ${H}" role="img" aria-label="fills of ${esc(sym)} on its price">${axes(lo, hi, H)}${line}${marks}</svg></figure>`;
    })
    .join('\n');
}

/** How many orders left how long after the market event that caused them. */
function latencyChart(t: TickToTrade): string {
  if (t.count === 0) return '<p class="note">No order answered a market event: no tick-to-trade to show.</p>';
  const max = Math.max(...t.histogram.map((b) => b.count));
  const bw = Math.floor((W - 60) / t.histogram.length);
  const bars = t.histogram
    .map((b, i) => {
      const h = (b.count / max) * (H - 50);
      const bx = 50 + i * bw;
      const label = b.leUs === null ? 'more' : b.leUs >= 1000 ? `≤${b.leUs / 1000} ms` : `≤${b.leUs} µs`;
      return `<rect class="latency-bar" x="${bx}" y="${H - 30 - h}" width="${bw - 4}" height="${Math.max(1, h).toFixed(1)}" fill="#2f7ed8"><title>${label}: ${b.count} orders</title></rect><text x="${bx + bw / 2}" y="${H - 14}" text-anchor="middle">${label}</text><text x="${bx + bw / 2}" y="${H - 34 - h}" text-anchor="middle">${b.count}</text>`;
    })
    .join('');
  return `<figure><figcaption>Tick-to-trade inside the backtest (wall time from a tick, book or chain handed to the strategies to each order they sent): ${t.count} orders, p50 ${num(t.p50Us, 1)} µs, p90 ${num(t.p90Us, 1)} µs, p99 ${num(t.p99Us, 1)} µs, max ${num(t.maxUs, 1)} µs</figcaption><svg class="latency-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="tick-to-trade distribution">${bars}</svg></figure>`;
}

/** One backtest run's report: equity and drawdown, PnL by strategy and symbol, fills on the price, tick-to-trade. */
export function runReport(d: RunReportData): string {
  const params = d.parameters ? paramText(d.parameters) : '';
  return reportPage(
    d.title,
    `<h1>${esc(d.title)}</h1>
<p class="summary">${esc(d.files.join(', '))}${params ? ` · ${esc(params)}` : ''} · ${d.ticks} ticks, ${num(d.dataSeconds, 1)} s of data in ${num(d.wallSeconds, 2)} s · ${d.orders} orders, ${d.fillCount} fills · PnL ${num(d.strategies.reduce((a, s) => a + s.pnl, 0))}</p>
<h2>Equity</h2>
${equityCharts(d)}
<h2>PnL by strategy and symbol</h2>
${pnlBySymbol(d)}
<h2>Fills on the price</h2>
${fillCharts(d)}
<h2>Tick-to-trade</h2>
${latencyChart(d.tickToTrade)}`,
  );
}

/** The report data of a backtest's result, as the CLI and monitoring produce it for one run. */
export function runReportOf(r: BacktestResult, files: readonly string[]): RunReportData {
  return { title: `backtest of ${r.strategies.map((s) => s.id).join(', ')}`, files, equity: r.equity, strategies: r.strategies, fills: r.fillsSample, prices: r.prices, tickToTrade: r.tickToTrade, ticks: r.ticks, orders: r.orders, fillCount: r.fills, dataSeconds: r.dataSeconds, wallSeconds: r.wallSeconds };
}
