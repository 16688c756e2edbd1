import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { applyEnvOverrides } from './env-overrides.js';
import { ERR_CONFIG_INVALID, ERR_CONFIG_NOT_FOUND, ERR_CONFIG_SYNTAX, type ConfigIssue } from './errors.js';
import { platformSchema, type PlatformConfig } from './schema.js';
import { lineOf, locateKeys } from './toml-locator.js';

export interface LoadOptions {
  /** Defaults to $HFT_CONFIG, else config/platform.toml of the repository. */
  path?: string;
  env?: NodeJS.ProcessEnv;
}

/** Repository root: the nearest ancestor holding nx.json (of cwd first, then of this module). */
export function workspaceRoot(): string {
  for (const start of [process.cwd(), dirname(fileURLToPath(import.meta.url))]) {
    let dir = resolve(start);
    for (;;) {
      if (existsSync(join(dir, 'nx.json'))) return dir;
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return process.cwd();
}

/** A path from the config: absolute, or relative to the repository root. */
export function fromRoot(p: string): string {
  return isAbsolute(p) ? p : resolve(workspaceRoot(), p);
}

export function defaultConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['HFT_CONFIG'] ?? join(workspaceRoot(), 'config', 'platform.toml');
}

/** Load, override from the environment and validate the platform config. Throws HftError. */
export function loadConfig(options: LoadOptions = {}): PlatformConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? defaultConfigPath(env);
  if (!existsSync(path)) throw ERR_CONFIG_NOT_FOUND(path);
  return parseConfig(readFileSync(path, 'utf8'), path, env);
}

/** Same as `loadConfig` for a TOML string (`path` is only used in messages). */
export function parseConfig(source: string, path: string, env: NodeJS.ProcessEnv = {}): PlatformConfig {
  let tree: Record<string, unknown>;
  try {
    tree = parse(source) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError) {
      const why = e.message.split('\n')[0] ?? e.message;
      throw ERR_CONFIG_SYNTAX(path, e.line, e.column, why);
    }
    throw e;
  }
  const provenance = applyEnvOverrides(tree, env);
  const result = platformSchema.safeParse(tree);
  if (result.success) return result.data;
  throw ERR_CONFIG_INVALID(path, describeIssues(result.error, source, path, provenance));
}

function describeIssues(error: z.ZodError, source: string, path: string, provenance: Map<string, string>): ConfigIssue[] {
  const lines = locateKeys(source);
  return error.issues.map((issue) => {
    const keyPath = issue.path.map(String);
    const key = keyPath.join('.') || '(root)';
    // The key, or a table around it, came from the environment when the file does not have it: blame those variables.
    const fileHasTable = (k: number): boolean => lines.has(keyPath.slice(0, k).join('.'));
    let fromEnv = [...provenance.entries()].find(([p]) => key === p || key.startsWith(`${p}.`));
    if (!fromEnv) {
      for (let k = keyPath.length - 1; k > 0 && !fromEnv; k--) {
        const table = keyPath.slice(0, k).join('.');
        if (fileHasTable(k)) break;
        const vars = [...provenance.entries()].filter(([p]) => p.startsWith(`${table}.`)).map(([, v]) => v);
        if (vars.length) fromEnv = [table, vars.join(', ')];
      }
    }
    const line = lineOf(lines, keyPath);
    const where = fromEnv ? `env ${fromEnv[1]}` : line !== null ? `${path}:${line}` : path;
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
    const why = missing ? `required key is missing (expected ${issue.expected})` : issue.message;
    return { key, where, line: fromEnv ? null : line, why };
  });
}
