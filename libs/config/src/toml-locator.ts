// Maps dotted key paths to the line that defines them, so schema errors can point at the file.
// TOML parsers do not keep positions; this scanner understands the subset that matters for that:
// [tables], [[array tables]], bare/quoted/dotted keys, multi-line arrays and strings.

const BARE = /[A-Za-z0-9_-]/;

/** Split a TOML key expression (`a."b.c".d`) into parts. */
export function splitKey(expr: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const s = expr.trim();
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '.') {
      i++;
    } else if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) break;
      parts.push(s.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < s.length && BARE.test(s[j]!)) j++;
      if (j === i) break;
      parts.push(s.slice(i, j));
      i = j;
    }
  }
  return parts;
}

/** Index of the first `=` outside quotes, or -1. */
function assignment(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return -1;
    else if (c === '=') return i;
  }
  return -1;
}

/** Dotted path ("a.b.0.c") -> 1-based line. Array tables are indexed by occurrence. */
export function locateKeys(source: string): Map<string, number> {
  const out = new Map<string, number>();
  const arrayCounts = new Map<string, number>();
  let table: string[] = [];
  let depth = 0; // open brackets of a multi-line array value
  let inMultiString: string | null = null;
  const lines = source.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const line = raw.trim();
    if (inMultiString) {
      if (line.includes(inMultiString)) inMultiString = null;
      return;
    }
    if (depth > 0) {
      depth += countBrackets(line);
      return;
    }
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('[[')) {
      const base = splitKey(line.slice(2, line.indexOf(']]')));
      const key = base.join('.');
      const n = arrayCounts.get(key) ?? 0;
      arrayCounts.set(key, n + 1);
      table = [...base, String(n)];
      out.set(base.join('.'), out.get(base.join('.')) ?? lineNo);
      out.set(table.join('.'), lineNo);
      return;
    }
    if (line.startsWith('[')) {
      table = resolveArrays(splitKey(line.slice(1, line.indexOf(']'))), arrayCounts);
      for (let k = 1; k <= table.length; k++) {
        const p = table.slice(0, k).join('.');
        if (!out.has(p)) out.set(p, lineNo);
      }
      return;
    }
    const eq = assignment(line);
    if (eq < 0) return;
    const keyParts = splitKey(line.slice(0, eq));
    const full = [...table, ...keyParts];
    for (let k = table.length + 1; k <= full.length; k++) {
      const p = full.slice(0, k).join('.');
      if (!out.has(p) || k === full.length) out.set(p, lineNo);
    }
    const value = line.slice(eq + 1).trim();
    for (const q of ['"""', "'''"]) {
      if (value.startsWith(q) && value.indexOf(q, 3) < 0) inMultiString = q;
    }
    if (value.startsWith('[')) depth = countBrackets(value);
  });
  return out;
}

/** Sub-tables of an array table (`[instruments.meta]`) belong to its latest element. */
function resolveArrays(parts: string[], counts: Map<string, number>): string[] {
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    out.push(parts[i]!);
    const n = counts.get(parts.slice(0, i + 1).join('.'));
    if (n !== undefined && i < parts.length - 1) out.push(String(n - 1));
  }
  return out;
}

function countBrackets(s: string): number {
  let d = 0;
  let quote: string | null = null;
  for (const c of s) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') break;
    else if (c === '[') d++;
    else if (c === ']') d--;
  }
  return d;
}

/** Line of `path`, or of its nearest defined ancestor (a missing key points at its table). */
export function lineOf(lines: Map<string, number>, path: (string | number)[]): number | null {
  for (let k = path.length; k > 0; k--) {
    const hit = lines.get(path.slice(0, k).join('.'));
    if (hit !== undefined) return hit;
  }
  return null;
}
