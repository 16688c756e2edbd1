import { spawnSync } from 'node:child_process';
import { mkdtempSync, chmodSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist', 'src', 'index.js');
const logging = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'logging', 'dist', 'src', 'index.js');
const root = process.getuid?.() === 0;

// Each case runs in its own process: a real-time policy would otherwise stay on the test worker.
function run(scheduling: object, asNobody = false): { result: { priority: number; reason?: string }; policy: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sched-test-'));
  chmodSync(dir, 0o755);
  const p = join(dir, 's.mjs');
  writeFileSync(
    p,
    `import { applyScheduling } from ${JSON.stringify(dist)};
     import { createLogger } from ${JSON.stringify(logging)};
     import { readFileSync } from 'node:fs';
     const result = applyScheduling('risk', ${JSON.stringify(scheduling)}, createLogger({ daemon: 'risk' }));
     // field 41 of /proc/<pid>/stat is the policy: 0 normal, 1 FIFO, 2 RR (the fields after the command)
     const policy = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[38];
     process.stdout.write('\\n' + JSON.stringify({ result, policy }) + '\\n');`,
  );
  const cmd = asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, p] : [process.execPath, p];
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'info' } });
  // The logger writes asynchronously: its lines may come after the script's own, so find that one by its keys.
  const lines = r.stdout.trim().split('\n').filter(Boolean);
  const mine = lines.find((l) => l.startsWith('{"result":'));
  if (!mine) throw new Error(`no result from the child (exit ${r.status}): ${r.stdout}${r.stderr}`);
  return { ...(JSON.parse(mine) as { result: { priority: number; reason?: string }; policy: string }), log: lines.filter((l) => l !== mine).join('\n') };
}

describe('applyScheduling ([scheduling] in platform.toml)', () => {
  it.skipIf(!root || process.platform !== 'linux')('a listed daemon runs under SCHED_FIFO at the configured priority', () => {
    const { result, policy, log } = run({ policy: 'fifo', priority: 7, daemons: ['risk', 'oms'] });
    expect(result).toEqual({ priority: 7 });
    expect(policy).toBe('1');
    expect(log).toContain('real-time scheduling');
  });

  it.skipIf(!root || process.platform !== 'linux')('SCHED_RR when asked', () => {
    expect(run({ policy: 'rr', priority: 3, daemons: ['risk'] }).policy).toBe('2');
  });

  it('a daemon not listed, or policy "normal", stays under the normal policy without a word', () => {
    for (const cfg of [
      { policy: 'fifo', priority: 7, daemons: ['oms'] },
      { policy: 'normal', priority: 7, daemons: ['risk'] },
    ]) {
      const { result, policy, log } = run(cfg);
      expect(result).toEqual({ priority: 0 });
      expect(policy).toBe('0');
      expect(log).not.toMatch(/scheduling/);
    }
  });

  it.skipIf(!root || process.platform !== 'linux')('not permitted: the daemon runs on under the normal policy and says why', () => {
    const { result, policy, log } = run({ policy: 'fifo', priority: 7, daemons: ['risk'] }, true);
    expect(result.priority).toBe(0);
    expect(result.reason).toMatch(/chrt refused: .*needs root, CAP_SYS_NICE or an rtprio limit of 7/);
    expect(policy).toBe('0');
    expect(log).toMatch(/running under the normal scheduling policy: chrt refused/);
  });
});
