import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { defineError } from '@hft/errors';

export const ERR_NOT_READY = defineError('HFT_DAEMON_NOT_READY', (name: string, why: string, tail: string) => ({
  message: `${name} did not come up: ${why}${tail ? `\n--- last lines of its output ---\n${tail}` : ''}`,
  details: { name },
}));

export interface DaemonSpec {
  name: string;
  /** Entry script (absolute path). */
  main: string;
  args?: string[];
  /** Where /health answers, for the readiness check. */
  httpPort: number;
  env?: Record<string, string>;
  /** Working directory (default: the supervisor's). */
  cwd?: string;
  /** Command the daemon runs under, e.g. ["ip", "netns", "exec", "site-b"] (default: none). */
  prefix?: string[];
  /** Extra Node.js flags (e.g. --cpu-prof when HFT_PROFILE names the daemon). */
  nodeArgs?: string[];
  /** Address its HTTP server answers on (default 127.0.0.1). */
  host?: string;
  /** Seconds to wait for /health (default 30). */
  readyTimeoutS?: number;
}

export interface Managed {
  spec: DaemonSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
  running: boolean;
  /** Last output lines (for error messages). */
  tail(): string;
  /** Whole stdout so far (when not logging to a file). */
  stdout(): string;
}

export interface SupervisorOptions {
  env: Record<string, string>;
  /** Append each daemon's output to <logDir>/<name>.log; otherwise keep it in memory. */
  logDir?: string;
  /** Seconds between SIGTERM and SIGKILL on stop (default 10). */
  stopTimeoutS?: number;
}

/**
 * A small process supervisor: each daemon is its own process; a daemon is ready when its /health
 * answers; stop is SIGTERM (the daemon drains) then SIGKILL after a timeout; everything is stopped
 * in reverse start order so producers go before consumers.
 */
export class Supervisor {
  private readonly procs = new Map<string, Managed>();
  private readonly order: string[] = [];

  constructor(private readonly o: SupervisorOptions) {
    if (o.logDir) mkdirSync(o.logDir, { recursive: true });
  }

  get(name: string): Managed | undefined {
    return this.procs.get(name);
  }

  names(): string[] {
    return [...this.order];
  }

  spawn(spec: DaemonSpec): Managed {
    const argv = [process.execPath, ...(spec.nodeArgs ?? []), spec.main, ...(spec.args ?? [])];
    const [cmd, ...rest] = spec.prefix?.length ? [...spec.prefix, ...argv] : argv;
    const child = spawn(cmd!, rest, { env: { ...process.env, ...this.o.env, ...spec.env }, ...(spec.cwd ? { cwd: spec.cwd } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let log: WriteStream | null = null;
    if (this.o.logDir) log = createWriteStream(join(this.o.logDir, `${spec.name}.log`), { flags: 'a' });
    const lines: string[] = [];
    let out = '';
    const keep = (b: Buffer, isOut: boolean): void => {
      const s = b.toString();
      if (isOut && !log) out += s;
      log?.write(b);
      lines.push(...s.split('\n').filter(Boolean));
      if (lines.length > 40) lines.splice(0, lines.length - 40);
    };
    child.stdout!.on('data', (b: Buffer) => keep(b, true));
    child.stderr!.on('data', (b: Buffer) => keep(b, false));
    const m: Managed = {
      spec,
      child,
      running: true,
      exited: new Promise((resolve) => {
        child.on('exit', (code, signal) => {
          m.running = false;
          log?.end();
          resolve(code ?? (signal ? 128 : null));
        });
      }),
      tail: () => lines.join('\n'),
      stdout: () => out,
    };
    this.procs.set(spec.name, m);
    if (!this.order.includes(spec.name)) this.order.push(spec.name);
    return m;
  }

  /** Start a daemon and wait until its /health answers (any status: up, even if degraded). */
  async start(spec: DaemonSpec): Promise<Managed> {
    const m = this.spawn(spec);
    await this.ready(m);
    return m;
  }

  async ready(m: Managed): Promise<void> {
    const end = Date.now() + (m.spec.readyTimeoutS ?? 30) * 1000;
    while (Date.now() < end) {
      if (!m.running) throw ERR_NOT_READY(m.spec.name, `exited with code ${await m.exited}`, m.tail());
      try {
        await fetch(`http://${m.spec.host ?? '127.0.0.1'}:${m.spec.httpPort}/health`, { signal: AbortSignal.timeout(1000) });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw ERR_NOT_READY(m.spec.name, `no /health answer on :${m.spec.httpPort} within ${m.spec.readyTimeoutS ?? 30} s`, m.tail());
  }

  async health(name: string): Promise<{ status: string; code: number } | null> {
    const m = this.procs.get(name);
    if (!m) return null;
    try {
      const res = await fetch(`http://${m.spec.host ?? '127.0.0.1'}:${m.spec.httpPort}/health`, { signal: AbortSignal.timeout(2000) });
      return { status: ((await res.json()) as { status: string }).status, code: res.status };
    } catch {
      return null;
    }
  }

  /** Stop one daemon: SIGTERM, then SIGKILL if it has not exited in time. Returns its exit code. */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const m = this.procs.get(name);
    if (!m || !m.running) return m ? m.exited : null;
    m.child.kill(signal);
    const t = setTimeout(() => m.child.kill('SIGKILL'), (this.o.stopTimeoutS ?? 10) * 1000);
    const code = await m.exited;
    clearTimeout(t);
    return code;
  }

  /** Restart a daemon with the same spec (after it crashed or was killed). */
  async restart(name: string): Promise<Managed> {
    const m = this.procs.get(name);
    if (!m) throw new Error(`unknown daemon ${name}`);
    if (m.running) await this.stop(name);
    return this.start(m.spec);
  }

  async stopAll(): Promise<void> {
    for (const name of [...this.order].reverse()) await this.stop(name);
  }
}
