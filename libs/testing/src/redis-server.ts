import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';

export interface PrivateRedis {
  port: number;
  url: string;
  dir: string;
  /** Stop it (SIGTERM lets it finish its append-only file; SIGKILL is a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port and data directory. */
  restart(): Promise<void>;
}

function ping(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(200);
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.connect(port, host, () => s.write('PING\r\n'));
    s.once('data', (b) => {
      s.destroy();
      resolve(b.toString().startsWith('+PONG'));
    });
  });
}

/**
 * A Redis server of the test's own (loopback, private port and data directory, append-only file),
 * so an outage test can stop and restart it without touching the shared instance.
 */
export async function startPrivateRedis(port: number, o: { host?: string; prefix?: string[] } = {}): Promise<PrivateRedis> {
  const host = o.host ?? '127.0.0.1';
  const dir = mkdtempSync(join(tmpdir(), 'redis-'));
  let child: ChildProcess | null = null;
  const launch = async (): Promise<void> => {
    const [cmd, ...args] = [...(o.prefix ?? []), 'redis-server', '--bind', host, '--protected-mode', 'no', '--port', String(port)];
    child = spawn(cmd!, [...args, '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
    const end = Date.now() + 10_000;
    while (!(await ping(port, host))) {
      if (Date.now() > end) throw new Error(`redis-server did not start on ${port} (is redis-server installed? scripts/services.sh installs it)`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  return {
    port,
    url: `redis://${host}:${port}/0`,
    dir,
    async stop(signal = 'SIGTERM') {
      const c = child;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill(signal);
      });
    },
    restart: launch,
  };
}
