// docs/wire-format.md is what outside clients build from: its socket table, message fields and codes
// must be exactly the code's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CANCEL_REJECT_CODES, catalog, CONDITIONAL_REFUSE_CODES, DENY_CODES, envelopeFields, REJECT_CODES, wire, type WireName } from '../src/index.js';

const doc = readFileSync(join(fileURLToPath(new URL('.', import.meta.url)), '..', 'docs', 'wire-format.md'), 'utf8');
const ticks = (s: string): string[] => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const rows = (heading: string): string[][] => {
  const at = doc.indexOf(heading);
  const lines = doc.slice(at).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const out: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith('|')) break;
    out.push(l.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return out;
};
const paragraph = (start: string): string => {
  const at = doc.indexOf(start);
  return doc.slice(at, doc.indexOf('\n\n', at));
};

describe('wire-format.md matches the code', () => {
  it('lists every socket with its pattern, owner and message types each way', () => {
    const table = rows('## Sockets');
    expect(table.map((r) => ticks(r[0]!)[0]).sort()).toEqual(Object.keys(wire).sort());
    for (const r of table) {
      const name = ticks(r[0]!)[0] as WireName;
      const c = wire[name];
      expect({ name, pattern: r[1], owner: r[2] }).toEqual({ name, pattern: c.pattern, owner: c.owner });
      if ('toOwner' in c) {
        expect({ name, toOwner: ticks(r[4]!), toClients: ticks(r[5]!) }).toEqual({ name, toOwner: [...c.toOwner], toClients: [...c.toClients] });
      } else if (c.encoding === 'json') {
        expect({ name, published: ticks(r[5]!).filter((t) => !t.includes('.') && !t.includes('-')) }).toEqual({ name, published: [...c.messages] });
      }
    }
  });

  it('lists every message type with exactly its fields, optional ones marked', () => {
    const table = rows('Fields of each message');
    expect(table.map((r) => ticks(r[0]!)[0]).sort()).toEqual(Object.keys(catalog).sort());
    const envelope = new Set([...Object.keys(envelopeFields), 'type']);
    for (const r of table) {
      const type = ticks(r[0]!)[0] as keyof typeof catalog;
      const shape = (catalog[type] as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
      const fields = Object.entries(shape).filter(([k]) => !envelope.has(k));
      const documented = ticks(r[1]!).filter((t) => /^[a-zA-Z]+\??$/.test(t));
      expect({ type, fields: documented }).toEqual({ type, fields: fields.map(([k, s]) => (s.safeParse(undefined).success ? `${k}?` : k)) });
    }
  });

  it('lists every deny, reject, conditional refuse and cancel-reject code', () => {
    expect(ticks(paragraph('Deny codes')).filter((t) => /^[a-z_]+$/.test(t) && t !== 'check' && !t.startsWith('hft_')).sort()).toEqual([...DENY_CODES].sort());
    expect(ticks(paragraph('Reject codes')).filter((t) => /^[A-Z_]+$/.test(t)).sort()).toEqual([...REJECT_CODES].sort());
    expect(ticks(paragraph('Conditional refuse codes')).filter((t) => /^[a-z_]+$/.test(t) && t !== 'code' && !t.startsWith('hft_')).sort()).toEqual([...CONDITIONAL_REFUSE_CODES].sort());
    expect(ticks(paragraph('Cancel-reject codes')).filter((t) => /^[A-Z_]+$/.test(t)).sort()).toEqual([...CANCEL_REJECT_CODES].sort());
  });
});
