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
