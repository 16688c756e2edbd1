import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../src/free-ports.js';

const dist = fileURLToPath(new URL('../dist/src/free-ports.js', import.meta.url));

/** `n` ports taken by another process, which holds them (it stays alive) until `release` is called. */
async function portsOfChild(n: number, startAt?: number): Promise<{ ports: number[]; pid: number; release: (signal?: NodeJS.Signals) => Promise<void> }> {
  const code = `import { freePorts } from ${JSON.stringify(dist)}; console.log(JSON.stringify(await freePorts(${n}${startAt ? `, ${startAt}` : ''}))); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
  const c = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const ports = await new Promise<number[]>((resolve, reject) => {
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.endsWith('\n')) resolve(JSON.parse(out) as number[]);
    });
    c.once('exit', (status) => reject(new Error(`child exited ${status} before answering`)));
  });
  const exited = new Promise((r) => c.once('exit', r));
  return {
    ports,
    pid: c.pid!,
    release: async (signal) => {
      if (signal) c.kill(signal);
      else c.stdin.end();
      await exited;
    },
  };
}

describe('freePorts', () => {
  it('processes asking at the same time never get the same port, and every port is outside the ephemeral range', async () => {
    const [a, b, mine] = await Promise.all([portsOfChild(400), portsOfChild(400), freePorts(400)]);
    try {
      const all = [...a.ports, ...b.ports, ...mine];
      expect(new Set(all).size).toBe(all.length);
      for (const p of all) expect(p >= 20_000 && p < 32_768).toBe(true);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });

  it('releases its locks when it exits, and takes over those of a process killed before it could', async () => {
    const dir = join(tmpdir(), 'hft-test-ports');
    const start = 31_000 + Math.floor(Math.random() * 1000);
    const polite = await portsOfChild(3, start);
    await polite.release();
    for (const p of polite.ports) expect(existsSync(join(dir, String(p)))).toBe(false);
    // Killed with SIGKILL: its exit handler never runs, its lock files stay behind with its pid.
    const killed = await portsOfChild(3, start);
    await killed.release('SIGKILL');
    for (const p of killed.ports) expect(readFileSync(join(dir, String(p)), 'utf8')).toBe(String(killed.pid));
    // The same ports again, now this process's.
    expect(await freePorts(3, killed.ports[0])).toEqual(killed.ports);
    for (const p of killed.ports) expect(readFileSync(join(dir, String(p)), 'utf8')).toBe(String(process.pid));
  });
});
