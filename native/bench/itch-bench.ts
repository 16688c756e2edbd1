// ITCH 5.0 through the binding: messages/s framed, decoded and applied to the order-level books
// (records drained into a reused Float64Array), against framing and decoding alone in the same run,
// and the core's own rate on the same bytes from Rust (cargo example itch_rate).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ITCH_RECORD_STRIDE, ItchReplay, itchScan } from '../src/index.js';
import { itchStream } from './itch-stream.js';
import { timeIt } from './time-it.js';

const MESSAGES = 2_000_000;
const CHUNK = 1 << 18;

export interface ItchBenchResult {
  messages: number;
  bytes: number;
  parseOnlyPerSec: number;
  appliedPerSec: number;
  appliedNsPerMessage: number;
  appliedVsParseOnly: number;
  recordsPerMessage: number;
  coreFromRustNsPerMessage: number | null;
}

function coreFromRust(bytes: Buffer, stocks: string[]): number | null {
  const dir = mkdtempSync(join(tmpdir(), 'itch-bench-'));
  try {
    const file = join(dir, 'bench.itch');
    writeFileSync(file, bytes);
    const manifest = fileURLToPath(new URL('../../Cargo.toml', import.meta.url));
    const out = execFileSync('cargo', ['run', '-q', '--release', '--manifest-path', manifest, '--example', 'itch_rate', '--', file, ...stocks], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return (JSON.parse(out.trim()) as { applyNsPerMessage: number }).applyNsPerMessage;
  } catch (e) {
    console.error(`  (the core's ITCH rate from Rust could not be measured: ${(e as Error).message})`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function itchBench(): ItchBenchResult {
  const s = itchStream(MESSAGES);
  const parseNs = timeIt(5, () => {}, () => {
    if (itchScan(s.bytes).refused > 0) throw new Error('the synthetic stream has refused messages');
  });
  const out = new Float64Array(4096 * ITCH_RECORD_STRIDE);
  let replay = new ItchReplay();
  let records = 0;
  const applyNs = timeIt(
    5,
    () => {
      replay = new ItchReplay();
      for (const sym of s.stocks) replay.subscribe(sym, 100, 1, 1);
      records = 0;
    },
    () => {
      for (let at = 0; at < s.bytes.length; at += CHUNK) {
        replay.push(s.bytes.subarray(at, at + CHUNK));
        for (let n = replay.drain(out); n > 0; n = replay.drain(out)) records += n;
      }
      replay.end();
      for (let n = replay.drain(out); n > 0; n = replay.drain(out)) records += n;
    },
  );
  const c = replay.counts();
  if (c.refused > 0) throw new Error(`${c.refused} messages refused by the replay`);
  const parse = (s.messages / parseNs) * 1e9;
  const applied = (s.messages / applyNs) * 1e9;
  return {
    messages: s.messages,
    bytes: s.bytes.length,
    parseOnlyPerSec: Math.round(parse),
    appliedPerSec: Math.round(applied),
    appliedNsPerMessage: +(applyNs / s.messages).toFixed(1),
    appliedVsParseOnly: +(applied / parse).toFixed(3),
    recordsPerMessage: +(records / s.messages).toFixed(2),
    coreFromRustNsPerMessage: coreFromRust(s.bytes, s.stocks),
  };
}
