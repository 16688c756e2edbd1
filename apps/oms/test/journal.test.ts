import { appendFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../src/journal.js';

const opts = { segmentBytes: 200, fsync: 'never' as const, fsyncIntervalMs: 10 };
const dir = () => join(mkdtempSync(join(tmpdir(), 'journal-')), 'j');
const warnings: string[] = [];
const warn = (m: string) => warnings.push(m);

describe('OMS journal', () => {
  it('returns what was appended after the checkpoint, bigints intact, across segments', () => {
    const d = dir();
    const { journal } = Journal.open(d, 'L1', 0, opts, warn);
    for (let i = 1; i <= 20; i++) journal.append([`record ${i} é`]);
    journal.close();
    expect(readdirSync(d).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(2);
    const { journal: again, tail } = Journal.open(d, 'L1', 12, opts, warn);
    expect(tail.map((e) => e.lsn)).toEqual([13, 14, 15, 16, 17, 18, 19, 20]);
    expect(tail[0]!.text).toBe('record 13 é');
    expect(again.append(['21', '22'])).toEqual([21, 22]);
    // Committed segments go; the current one stays.
    again.committed(22);
    expect(readdirSync(d).filter((f) => f.endsWith('.log'))).toHaveLength(1);
    again.close();
  });

  it('cuts a torn last frame (a write a machine crash interrupted) and refuses corruption anywhere else', () => {
    const d = dir();
    const { journal } = Journal.open(d, 'L1', 0, { ...opts, segmentBytes: 1 << 20 }, warn);
    journal.append(['1', '2']);
    journal.close();
    const file = join(d, readdirSync(d).find((f) => f.endsWith('.log'))!);
    appendFileSync(file, Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 123]));
    const { journal: j2, tail } = Journal.open(d, 'L1', 0, opts, warn);
    expect(tail.map((e) => e.text)).toEqual(['1', '2']);
    expect(warnings.at(-1)).toMatch(/torn frame/);
    j2.append(['3']);
    j2.close();
    // A second segment after a damaged first one: not a torn write, refuse to start.
    writeFileSync(join(d, 'journal-0000000000000099.log'), Buffer.alloc(0));
    writeFileSync(file, Buffer.from('garbage that is not a frame at all'));
    expect(() => Journal.open(d, 'L1', 0, opts, warn)).toThrow(/HFT_OMS_JOURNAL_CORRUPT|is corrupt at byte 0/);
  });

  it('never replays a journal into another ledger: it is moved aside', () => {
    const d = dir();
    const { journal } = Journal.open(d, 'L1', 0, opts, warn);
    journal.append(['1']);
    journal.close();
    const { journal: j2, tail } = Journal.open(d, 'L2', 0, opts, warn);
    expect(tail).toEqual([]);
    expect(warnings.at(-1)).toMatch(/another ledger/);
    expect(readdirSync(join(d, '..')).some((f) => f.startsWith('j.other-ledger-'))).toBe(true);
    expect(existsSync(join(d, 'LEDGER_ID'))).toBe(true);
    j2.close();
  });
});
