import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@hft/config';

export interface DaemonProcess {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  /** Resolve when GET http://127.0.0.1:<port>/health answers (any status). */
  ready(port: number, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Start a built daemon (apps/<app>/dist/src/main.js) as its own process. */
export function startDaemon(app: string, args: string[], env: Record<string, string>): DaemonProcess {
  const main = join(workspaceRoot(), 'apps', app, 'dist', 'src', 'main.js');
  const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code, sig) => r(code ?? (sig ? 128 : null))));
  let done = false;
  void exited.then(() => (done = true));
  return {
    name: app,
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async ready(port, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        if (done) throw new Error(`${app} exited before it was ready:\n${err}`);
        try {
          await fetch(`http://127.0.0.1:${port}/health`);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error(`${app} not ready on :${port} after ${timeoutMs} ms:\n${err}`);
    },
    async stop(signal = 'SIGTERM') {
      if (!done) child.kill(signal);
      return exited;
    },
  };
}
