import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERR_NOT_READY, Supervisor } from '../src/index.js';

async function port(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

function script(body: string): string {
  const p = join(mkdtempSync(join(tmpdir(), 'sup-')), 'd.mjs');
  writeFileSync(p, body);
  return p;
}

const healthy = script(`
import { createServer } from 'node:http';
const s = createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ status: 'ok' })); });
s.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('up', process.env.GREETING));
process.on('SIGTERM', () => { console.log('draining'); setTimeout(() => s.close(() => process.exit(0)), 50); });
`);

describe('Supervisor', () => {
  it('starts a daemon, waits for /health, logs its output, and stops it gracefully', async () => {
    const logDir = mkdtempSync(join(tmpdir(), 'sup-logs-'));
    const p = await port();
    const sup = new Supervisor({ env: { GREETING: 'hello' }, logDir });
    await sup.start({ name: 'd1', main: healthy, httpPort: p, env: { PORT: String(p) } });
    expect(await sup.health('d1')).toEqual({ status: 'ok', code: 200 });
    expect(await sup.stop('d1')).toBe(0);
    expect(readFileSync(join(logDir, 'd1.log'), 'utf8')).toBe('up hello\ndraining\n');
  });

  it('says which daemon failed and shows its last output', async () => {
    const sup = new Supervisor({ env: {} });
    const broken = script(`console.error('cannot bind: EADDRINUSE'); process.exit(3);`);
    await expect(sup.start({ name: 'broken', main: broken, httpPort: await port() })).rejects.toSatisfy(
      (e) => ERR_NOT_READY.is(e) && /broken did not come up: exited with code 3[\s\S]*cannot bind: EADDRINUSE/.test((e as Error).message),
    );
  });

  it('kills what does not stop in time, restarts, and stops everything in reverse order', async () => {
    const stubborn = script(`
import { createServer } from 'node:http';
createServer((q, r) => r.end('{"status":"ok"}')).listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {});`);
    const [p1, p2] = [await port(), await port()];
    const sup = new Supervisor({ env: {}, stopTimeoutS: 0.3 });
    await sup.start({ name: 'a', main: healthy, httpPort: p1, env: { PORT: String(p1) } });
    await sup.start({ name: 'b', main: stubborn, httpPort: p2, env: { PORT: String(p2) } });
    const first = sup.get('b')!.child.pid;
    await sup.restart('b');
    expect(sup.get('b')!.child.pid).not.toBe(first);
    await sup.stopAll();
    expect(sup.get('a')!.running).toBe(false);
    expect(sup.get('b')!.running).toBe(false);
    expect(await sup.get('b')!.exited).toBe(128);
  });
});
