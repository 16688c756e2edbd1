import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tmpFile } from './harness.js';

const main = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'src', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [main, '--http-port', '0', ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HFT__ENDPOINTS__TICKS__BIND: 'tcp://127.0.0.1:*', HFT__ENDPOINTS__BOOKS__BIND: 'tcp://127.0.0.1:*', HFT__ENDPOINTS__ANALYTICS__BIND: 'tcp://127.0.0.1:*', LOG_LEVEL: 'warn' } });

describe('command line (real process)', () => {
  it('prints help', () => {
    const r = spawnSync(process.execPath, [main, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--speed');
    expect(r.stdout).toContain('path@SYMBOL');
  });

  it('fails with exit code 2 and a clear message for a missing file or a bad option', () => {
    const missing = run('/nonexistent/ticks.csv');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('HFT_MD_FILE_MISSING: tick file not found: /nonexistent/ticks.csv');
    const speed = run('--speed', 'fast');
    expect(speed.status).toBe(2);
    expect(speed.stderr).toContain('--speed: "fast" is not a positive number or "max"');
  });

  it('replays a file at max speed and prints a JSON summary', () => {
    const file = tmpFile('cli.csv', 'ts,symbol,type,side,price,qty\n1772461800000000000,AAPL,trade,buy,187.40,1\n1772461801000000000,AAPL,trade,sell,187.41,2\n');
    const r = run(file, '--speed', 'max', '--json', '--no-progress');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ticks: number; dataSeconds: number; badRows: number };
    expect(summary).toMatchObject({ ticks: 2, dataSeconds: 1, badRows: 0 });
  });
});
