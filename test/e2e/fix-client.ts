// The QuickFIX/J counterparty of the FIX e2e test (test/fix-client): built once with Maven, driven
// over stdin/stdout as JSON lines, its session store in a directory of the test's.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { workspaceRoot } from '@hft/config';

const DIR = join(workspaceRoot(), 'test', 'fix-client');

export interface ClientEvent {
  event: string;
  type?: string;
  fields?: Record<string, string>;
  [k: string]: unknown;
}

/** Compile the client and resolve QuickFIX/J's jars from Maven Central (once; then offline). */
export function buildFixClient(): string {
  const cp = join(DIR, 'target', 'classpath.txt');
  if (!existsSync(cp) || !existsSync(join(DIR, 'target', 'classes', 'hft', 'fixclient', 'FixClient.class'))) {
    const r = spawnSync('mvn', ['-q', '-B', '-f', join(DIR, 'pom.xml'), 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${cp}`], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`building the QuickFIX/J client failed (mvn ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return `${join(DIR, 'target', 'classes')}:${readFileSync(cp, 'utf8').trim()}`;
}

export class FixClient {
  readonly events: ClientEvent[] = [];
  private readonly child: ChildProcess;
  private waiters: (() => void)[] = [];

  constructor(classpath: string, o: { dir: string; port: number; sender: string; target: string; user: string; password: string; heartBtInt?: number }) {
    mkdirSync(o.dir, { recursive: true });
    const cfg = join(o.dir, 'session.cfg');
    writeFileSync(
      cfg,
      [
        '[default]',
        'ConnectionType=initiator',
        'BeginString=FIX.4.4',
        `SenderCompID=${o.sender}`,
        `TargetCompID=${o.target}`,
        'SocketConnectHost=127.0.0.1',
        `SocketConnectPort=${o.port}`,
        `HeartBtInt=${o.heartBtInt ?? 5}`,
        'ReconnectInterval=1',
        `FileStorePath=${join(o.dir, 'store')}`,
        `FileLogPath=${join(o.dir, 'log')}`,
        'StartTime=00:00:00',
        'EndTime=00:00:00',
        'UseDataDictionary=Y',
        'DataDictionary=FIX44.xml',
        'ResetOnLogon=N',
        'ResetOnLogout=N',
        'ResetOnDisconnect=N',
        '',
        '[session]',
        '',
      ].join('\n'),
    );
    this.child = spawn('java', ['-cp', classpath, 'hft.fixclient.FixClient', cfg, o.user, o.password], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.resume();
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      this.events.push(JSON.parse(line) as ClientEvent);
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    });
  }

  send(cmd: Record<string, string | number>): void {
    this.child.stdin!.write(`${JSON.stringify(cmd)}\n`);
  }

  /** The first event from `from` on that matches, waiting up to `ms`. */
  async waitFor(what: string, pred: (e: ClientEvent) => boolean, ms = 20_000, from = 0): Promise<ClientEvent> {
    const end = Date.now() + ms;
    for (;;) {
      const hit = this.events.slice(from).find(pred);
      if (hit) return hit;
      const left = end - Date.now();
      if (left <= 0) throw new Error(`FIX client: no ${what} within ${ms} ms; last events: ${JSON.stringify(this.events.slice(-8))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Messages the client received from the gateway (application level), by MsgType. */
  app(type?: string): Record<string, string>[] {
    return this.events.filter((e) => e.event === 'app' && (!type || e.fields?.['35'] === type)).map((e) => e.fields!);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.send({ cmd: 'quit' });
    await new Promise<void>((r) => {
      const t = setTimeout(() => {
        this.child.kill('SIGKILL');
        r();
      }, 5000);
      this.child.once('exit', () => {
        clearTimeout(t);
        r();
      });
    });
  }
}
