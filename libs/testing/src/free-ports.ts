import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Below Linux's ephemeral range (32768-60999): no outgoing connection and no bind to port 0 ever takes
// one of these between our check and the daemon's bind, which the old "bind 0, release" pick allowed.
const LOW = 20_000;
const HIGH = 32_767;
const LOCKS = join(tmpdir(), 'hft-test-ports');
const held: string[] = [];

process.once('exit', () => {
  for (const f of held) {
    try {
      unlinkSync(f);
    } catch {
      // Already gone.
    }
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the port's lock file for this process; a lock left by a process that is gone is taken over. */
function lock(port: number): boolean {
  const f = join(LOCKS, String(port));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(f, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.push(f);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(f, 'utf8') || '0');
      if (owner === 0 || alive(owner)) return false;
      try {
        unlinkSync(f);
      } catch {
        // Another process took it over first; the retry's exclusive create decides.
      }
    }
  }
  return false;
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * `n` distinct free TCP ports on 127.0.0.1 for the daemons to bind. Each is held for this process's
 * lifetime by a lock file, so test processes running side by side (CI runs several) never share one.
 */
export async function freePorts(n: number, startAt?: number): Promise<number[]> {
  mkdirSync(LOCKS, { recursive: true });
  const out: number[] = [];
  const span = HIGH - LOW + 1;
  // A random start spreads side-by-side callers over the range; `startAt` (tests) looks from there.
  let port = (startAt ?? LOW + Math.floor(Math.random() * span)) - 1;
  for (let tried = 0; out.length < n; tried++) {
    if (tried >= span) throw new Error(`freePorts: no ${n} free ports left in ${LOW}-${HIGH} (${out.length} found; locks in ${LOCKS})`);
    port = port >= HIGH || port < LOW - 1 ? LOW : port + 1;
    if (!lock(port)) continue;
    if (await bindable(port)) out.push(port);
    else unlinkSync(held.pop()!); // Someone outside the tests has it.
  }
  return out;
}
