// What the sweep and run reports share: escaping, number format, chart size, colours and the page.

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
export const num = (x: number | null, d = 2): string => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));
export const W = 760;
export const H = 220;
export const PALETTE = ['#2f7ed8', '#3fb97c', '#e0a100', '#9b59b6', '#e05d5d', '#17a2b8', '#8d6e63'];

/** A self-contained page (inline SVG and CSS, no scripts): what monitoring serves and the CLI writes. */
export function reportPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>
body{font:13px/1.4 system-ui,sans-serif;margin:20px;color:#1d2733}h1{font-size:18px}h2{font-size:15px;margin-top:22px}figure{margin:16px 0}figcaption{color:#556;margin-bottom:4px}
svg{width:100%;max-width:${W}px;background:#fafbfc;border:1px solid #dde}svg text{font-size:11px;fill:#334}.zero{stroke:#bbb}
table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #e4e6ea;text-align:right}td:nth-child(2),td:nth-child(3),th:nth-child(2),th:nth-child(3){text-align:left}.note{color:#667}
</style></head><body>
${body}
</body></html>`;
}

/** Swept parameters as `key=value` words, in the order given. */
export const paramText = (changes: Record<string, string | number | boolean>): string =>
  Object.entries(changes)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

/** A curve's drawdown (how far below its running peak it stood) as a red area on the time axis `x`. */
export function drawdownFigure(curve: readonly (readonly [number, number])[], x: (t: number) => number, whose: string): string {
  let peak = -Infinity;
  const dd = curve.map(([t, v]) => {
    peak = Math.max(peak, v);
    return [t, v - peak] as const;
  });
  const ddLo = Math.min(-1e-9, ...dd.map((p) => p[1]));
  const yd = (v: number): number => 10 + (v / ddLo) * (H / 2 - 30);
  const area = `<polygon class="drawdown" fill="#e05d5d" fill-opacity="0.35" stroke="#e05d5d" points="${x(dd[0]![0]).toFixed(1)},10 ${dd.map(([t, v]) => `${x(t).toFixed(1)},${yd(v).toFixed(1)}`).join(' ')} ${x(dd.at(-1)![0]).toFixed(1)},10"/>`;
  return `<figure><figcaption>Drawdown of ${whose} (PnL below its running peak; deepest ${num(ddLo)})</figcaption><svg class="drawdown-chart" viewBox="0 0 ${W} ${H / 2}" role="img" aria-label="drawdown">${area}</svg></figure>`;
}
