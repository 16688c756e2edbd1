import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freePorts } from '../src/free-ports.js';

const dist = fileURLToPath(new URL('../dist/src/free-ports.js', import.meta.url));

/** `n` ports taken by another process, which holds them until it exits. */
function portsOfChild(n: number): Promise<number[]> {
  const code = `import { freePorts } from ${JSON.stringify(dist)}; console.log(JSON.stringify(await freePorts(${n})));`;
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.once('exit', (status) => (status === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`child exited ${status}`))));
  });
}

describe('freePorts', () => {
  it('processes asking at the same time never get the same port, and every port is outside the ephemeral range', async () => {
    const [a, b, mine] = await Promise.all([portsOfChild(400), portsOfChild(400), freePorts(400)]);
    const all = [...a, ...b, ...mine];
    expect(new Set(all).size).toBe(all.length);
    for (const p of all) expect(p >= 20_000 && p < 32_768).toBe(true);
  });

  it("takes over the locks of a process killed before it could release them", async () => {
    const dir = join(tmpdir(), 'hft-test-ports');
    // A child takes ports from a known place and is killed with SIGKILL: its exit handler never runs.
    const start = 31_000 + Math.floor(Math.random() * 1000);
    const code = `import { freePorts } from ${JSON.stringify(dist)}; console.log(JSON.stringify(await freePorts(3, ${start}))); setInterval(() => {}, 1000);`;
    const c = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ports = await new Promise<number[]>((resolve) => c.stdout.once('data', (d: Buffer) => resolve(JSON.parse(d.toString()) as number[])));
    c.kill('SIGKILL');
    await new Promise((r) => c.once('exit', r));
    for (const p of ports) expect(readFileSync(join(dir, String(p)), 'utf8')).toBe(String(c.pid));
    // The same ports again, now this process's.
    expect(await freePorts(3, ports[0])).toEqual(ports);
    for (const p of ports) expect(readFileSync(join(dir, String(p)), 'utf8')).toBe(String(process.pid));
  });
});
