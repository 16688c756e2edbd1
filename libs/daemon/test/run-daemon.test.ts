import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'src', 'index.js');

function script(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'daemon-test-'));
  const p = join(dir, 'd.mjs');
  writeFileSync(p, `import { runDaemon } from ${JSON.stringify(dist)};\n${body}`);
  return p;
}

function start(path: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /"url":"(http:[^"]+)"/.exec(out);
      if (m) {
        clearInterval(t);
        resolve(m[1]!);
      }
    }, 20);
    void exited.then(() => {
      clearInterval(t);
      reject(new Error(`exited early: ${err}`));
    });
  });
  // Tests that expect an early exit never read the URL: keep that rejection handled.
  url.catch(() => {});
  return { child, exited, url, output: () => out, errors: () => err };
}

describe('runDaemon (real process)', () => {
  it('serves /health and /metrics, then drains its shutdown hooks in reverse order on SIGTERM and exits 0', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'daemon-mark-')), 'order.txt');
    const d = start(
      script(`
import { appendFileSync } from 'node:fs';
await runDaemon({ name: 'testd', httpPort: () => 0, start: async (ctx) => {
  ctx.health.component('thing', { status: 'ok', detail: 'fine' });
  ctx.onShutdown(() => appendFileSync(${JSON.stringify(marker)}, 'first-registered\\n'));
  ctx.onShutdown(async () => { await new Promise((r) => setTimeout(r, 50)); appendFileSync(${JSON.stringify(marker)}, 'second-registered\\n'); });
}});`),
    );
    const url = await d.url;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', daemon: 'testd', components: { thing: { status: 'ok', detail: 'fine' } } });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('process_cpu_seconds_total{daemon="testd"}');
    d.child.kill('SIGTERM');
    expect(await d.exited).toBe(0);
    expect(readFileSync(marker, 'utf8')).toBe('second-registered\nfirst-registered\n');
  });

  it('exits with code 2 and the error code on a configuration error', async () => {
    const d = start(script(`await runDaemon({ name: 'testd', httpPort: () => 0, start: async () => {} });`), { HFT__OMS__BATCH_MAX: 'lots' });
    expect(await d.exited).toBe(2);
    expect(d.errors()).toContain('testd: HFT_CONFIG_INVALID');
    expect(d.errors()).toContain('env HFT__OMS__BATCH_MAX: oms.batch_max');
  });

  it('shuts down by itself when its task finishes, and exits 2 when the task fails with an HftError', async () => {
    const ok = start(script(`await runDaemon({ name: 'testd', httpPort: () => 0, start: async () => ({ done: new Promise((r) => setTimeout(r, 100)) }) });`));
    expect(await ok.exited).toBe(0);
    const bad = start(
      script(`
import { HftError } from ${JSON.stringify(dist.replace('/daemon/', '/errors/'))};
await runDaemon({ name: 'testd', httpPort: () => 0, start: async () => ({ done: Promise.reject(new HftError('HFT_X', 'boom')) }) });`),
    );
    expect(await bad.exited).toBe(2);
  });
});
