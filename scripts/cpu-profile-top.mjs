#!/usr/bin/env node
// Summarise V8 CPU profiles (node --cpu-prof, or HFT_PROFILE=<daemons> for the platform's daemons):
// the functions with the most self time, and the most inclusive time, per profile.
//   node scripts/cpu-profile-top.mjs <file.cpuprofile>... [--top 25]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 25;
const files = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--top');
if (!files.length) {
  console.error('usage: node scripts/cpu-profile-top.mjs <file.cpuprofile>... [--top N]');
  process.exit(2);
}
for (const file of files) {
  const p = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const dt = new Map();
  p.samples.forEach((s, i) => dt.set(s, (dt.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map();
  const incl = new Map();
  let total = 0;
  for (const n of p.nodes) {
    const t = dt.get(n.id) ?? 0;
    if (!t) continue;
    total += t;
    self.set(name(n), (self.get(name(n)) ?? 0) + t);
    const seen = new Set();
    for (let id = n.id; id !== undefined; id = parent.get(id)) {
      const k = name(byId.get(id));
      if (!seen.has(k)) incl.set(k, (incl.get(k) ?? 0) + t), seen.add(k);
    }
  }
  const busy = total - (self.get('(idle) :0') ?? 0);
  const pct = (v) => `${((v / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(2)} s sampled, ${((busy / total) * 100).toFixed(0)}% busy`);
  console.log('  self time:');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)} ${k}`);
  console.log('  inclusive time (our code):');
  for (const [k, v] of [...incl].filter(([k]) => /src\/|dist\//.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)} ${k}`);
}
