import { spawnSync } from 'node:child_process';
import type { PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import { gauge } from '@hft/metrics';

export interface SchedulingResult {
  /** The real-time priority now in effect for every thread (0 = the normal policy). */
  priority: number;
  /** Why the normal policy is in effect, when the config asked for more. */
  reason?: string;
}

const FLAG = { fifo: '--fifo', rr: '--rr' } as const;

/** Puts every thread of process `pid` under a real-time policy with util-linux `chrt`; null when done, else why not. */
export function setRealtimePolicy(pid: number, policy: 'fifo' | 'rr', priority: number): string | null {
  const r = spawnSync('chrt', ['-a', FLAG[policy], '-p', String(priority), String(pid)], { encoding: 'utf8', timeout: 5_000 });
  if (r.error) return `chrt could not run (${r.error.message}): install util-linux`;
  if (r.status !== 0) return `chrt refused: ${r.stderr.trim() || `exit ${r.status}`} (needs root, CAP_SYS_NICE or an rtprio limit of ${priority})`;
  return null;
}

/**
 * Puts this process under the configured real-time policy when `[scheduling] daemons` lists it. Node
 * has no sched_setscheduler, so util-linux `chrt` does it for every thread that exists (`-a`); threads
 * started later inherit it (no reset-on-fork: that would drop it for ZeroMQ's I/O thread too). Not
 * permitted, or no chrt: logged, and the daemon runs on.
 * `exempt`: why this run stays under the normal policy anyway (logged at info).
 */
export function applyScheduling(daemon: string, cfg: PlatformConfig['scheduling'], log: Logger, exempt?: string): SchedulingResult {
  const g = gauge({ name: 'hft_process_realtime_priority', help: 'Real-time (SCHED_FIFO/RR) priority of this daemon, 0 under the normal policy ([scheduling] in platform.toml)' });
  const result = ((): SchedulingResult => {
    if (cfg.policy === 'normal' || !(cfg.daemons as readonly string[]).includes(daemon)) return { priority: 0 };
    if (exempt) return { priority: 0, reason: exempt };
    if (process.platform !== 'linux') return { priority: 0, reason: `real-time scheduling is set up only on Linux (this is ${process.platform})` };
    const refused = setRealtimePolicy(process.pid, cfg.policy, cfg.priority);
    return refused ? { priority: 0, reason: refused } : { priority: cfg.priority };
  })();
  g.set(result.priority);
  if (exempt && result.reason === exempt) log.info({ policy: cfg.policy }, `normal scheduling policy: ${exempt}`);
  else if (result.reason) log.warn({ policy: cfg.policy, priority: cfg.priority }, `running under the normal scheduling policy: ${result.reason}`);
  else if (result.priority) log.info({ policy: cfg.policy, priority: cfg.priority }, 'real-time scheduling');
  return result;
}
