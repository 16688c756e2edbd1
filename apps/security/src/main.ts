#!/usr/bin/env node
// security daemon and operator commands: tokens, users, keys.
import { isAbsolute, resolve } from 'node:path';
import { hideBin } from 'yargs/helpers';
import yargs from 'yargs';
import { JwtVerifier, ROLES, StaticKey, type Role } from '@hft/auth';
import { loadConfig, workspaceRoot, type PlatformConfig } from '@hft/config';
import { runDaemon } from '@hft/daemon';
import { HftError } from '@hft/errors';
import { createPublicKey } from 'node:crypto';
import { registerSecurityApi } from './http-api.js';
import { hashPassword } from './password-hash.js';
import { generateSigningKey, loadSigningKey } from './signing-key.js';
import { issueToken } from './token-issuer.js';
import { loadUsers, saveUser } from './users-file.js';

const path = (p: string): string => (isAbsolute(p) ? p : resolve(workspaceRoot(), p));

async function readSecret(envVar: string | undefined): Promise<string> {
  if (envVar) {
    const v = process.env[envVar];
    if (!v) throw new Error(`environment variable ${envVar} is empty or not set`);
    return v;
  }
  if (process.stdin.isTTY) throw new Error('pipe the password on stdin or name an environment variable with --password-env');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const s = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!s) throw new Error('empty password on stdin');
  return s;
}

function cfgFor(configPath: string | undefined): PlatformConfig {
  return loadConfig(configPath ? { path: configPath } : {});
}

async function cli(): Promise<void> {
  await yargs(hideBin(process.argv))
    .scriptName('hft-security')
    .option('config', { type: 'string', describe: 'platform config (default $HFT_CONFIG or config/platform.toml)', global: true })
    .command(
      '$0',
      'serve POST /token and /.well-known/jwks.json',
      (y) => y.option('http-port', { type: 'number', describe: 'default [security].http_port' }),
      async (a) => {
        await runDaemon({
          name: 'security',
          ...(a.config ? { configPath: a.config } : {}),
          httpPort: (cfg) => a.httpPort ?? cfg.security.http_port,
          start: async ({ cfg, http, log }) => {
            const s = cfg.security;
            const key = loadSigningKey(path(s.private_key_file));
            const usersPath = path(s.users_file);
            let users = loadUsers(usersPath);
            // Re-read on SIGHUP: add users without a restart.
            process.on('SIGHUP', () => {
              try {
                users = loadUsers(usersPath);
                log.info({ users: users.size }, 'users reloaded');
              } catch (e) {
                log.error({ err: (e as Error).message }, 'users file not reloaded');
              }
            });
            const verifier = new JwtVerifier({ issuer: s.issuer, audience: s.audience, maxAgeSeconds: s.max_token_age_s, keys: new StaticKey(createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString()) });
            registerSecurityApi(http, { key, issuer: { issuer: s.issuer, audience: s.audience, ttlSeconds: s.token_ttl_s }, users: () => users, verifier, maxFailedLogins: s.max_failed_logins });
            log.info({ kid: key.kid, users: users.size }, 'issuing tokens');
          },
        });
      },
    )
    .command(
      'add-user',
      'add or replace a user (password from stdin or --password-env)',
      (y) =>
        y
          .option('name', { type: 'string', demandOption: true })
          .option('roles', { type: 'string', demandOption: true, describe: `comma-separated: ${ROLES.join(', ')}` })
          .option('service', { type: 'boolean', default: false, describe: 'a service account (for daemons and scripts)' })
          .option('password-env', { type: 'string', describe: 'read the password from this environment variable' }),
      async (a) => {
        const cfg = cfgFor(a.config);
        const roles = a.roles.split(',').map((r) => r.trim()) as Role[];
        const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
        if (bad.length) throw new Error(`unknown role(s) ${bad.join(', ')}: use ${ROLES.join(', ')}`);
        const password = await readSecret(a.passwordEnv);
        if (password.length < 12) throw new Error('passwords need at least 12 characters');
        saveUser(path(cfg.security.users_file), { name: a.name, kind: a.service ? 'service' : 'user', roles, password_hash: await hashPassword(password) });
        process.stderr.write(`user ${a.name} (${roles.join(', ')}) saved in ${path(cfg.security.users_file)}\n`);
      },
    )
    .command(
      'token',
      'mint a token with the signing key (operators with access to the key file)',
      (y) =>
        y
          .option('role', { type: 'string', demandOption: true, describe: `comma-separated: ${ROLES.join(', ')}` })
          .option('sub', { type: 'string', default: process.env['USER'] ?? 'operator', describe: 'subject (who acts; recorded in audits)' })
          .option('ttl', { type: 'number', describe: 'seconds (at most [security].token_ttl_s)' }),
      (a) => {
        const cfg = cfgFor(a.config);
        const roles = a.role.split(',').map((r) => r.trim()) as Role[];
        const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
        if (bad.length) throw new Error(`unknown role(s) ${bad.join(', ')}: use ${ROLES.join(', ')}`);
        const s = cfg.security;
        const t = issueToken(loadSigningKey(path(s.private_key_file)), { issuer: s.issuer, audience: s.audience, ttlSeconds: s.token_ttl_s }, a.sub, roles, a.ttl ?? s.token_ttl_s);
        process.stdout.write(`${t.token}\n`);
      },
    )
    .command(
      'keygen',
      'create the signing key file if it does not exist',
      (y) => y.option('out', { type: 'string', describe: 'default [security].private_key_file' }),
      (a) => {
        const out = a.out ? resolve(a.out) : path(cfgFor(a.config).security.private_key_file);
        process.stderr.write(generateSigningKey(out) ? `created ${out}\n` : `${out} exists; left as is\n`);
      },
    )
    .strict()
    .help()
    .version(false)
    .parseAsync();
}

cli().catch((e: unknown) => {
  process.stderr.write(`hft-security: ${e instanceof HftError ? `${e.code}: ${e.message}` : (e as Error).message}\n`);
  process.exit(e instanceof HftError ? 2 : 1);
});
