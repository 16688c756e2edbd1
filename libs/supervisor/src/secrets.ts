import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot, type PlatformConfig } from '@hft/config';
import { appMain } from './app-main.js';

function security(args: string[], env: Record<string, string>, input?: string): void {
  const r = spawnSync(process.execPath, [appMain('security'), ...args], { encoding: 'utf8', env: { ...process.env, ...env }, ...(input ? { input } : {}) });
  if (r.status !== 0) throw new Error(`hft-security ${args[0]} failed: ${r.stderr.trim()}`);
}

/**
 * First run on a machine: a signing key and the service accounts of monitoring, risk, strategy and the FIX gateway (random
 * passwords in owner-only files). Nothing is built in; nothing is overwritten.
 */
export function ensureSecrets(cfg: PlatformConfig, env: Record<string, string>, runDir: string): Record<'monitoring' | 'risk' | 'strategy' | 'fixGateway', { serviceUser: string; passwordFile: string }> {
  const dir = join(runDir, 'secrets');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(fromRoot(cfg.security.private_key_file))) security(['keygen'], env);
  const account = (serviceUser: string, roles: string): { serviceUser: string; passwordFile: string } => {
    const passwordFile = join(dir, `${serviceUser}.password`);
    if (!existsSync(passwordFile) || !existsSync(fromRoot(cfg.security.users_file))) {
      const password = randomBytes(24).toString('base64url');
      security(['add-user', '--name', serviceUser, '--roles', roles, '--service'], env, `${password}\n`);
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    }
    return { serviceUser, passwordFile };
  };
  return { monitoring: account('svc-monitoring', 'system'), risk: account('svc-risk', 'system'), strategy: account('svc-strategy', 'system'), fixGateway: account('svc-fix-gateway', 'system') };
}
