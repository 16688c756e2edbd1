import { parse } from 'smol-toml';
import { ERR_CONFIG_ENV } from './errors.js';

export const ENV_PREFIX = 'HFT__';

type Tree = Record<string, unknown>;

/** A TOML literal if it parses as one (number, bool, array, quoted string), else the raw string. */
export function parseEnvValue(raw: string): unknown {
  try {
    return parse(`v = ${raw}`)['v'];
  } catch {
    return raw;
  }
}

/**
 * Apply HFT__A__B__C=value overrides onto the parsed file. Path parts match existing keys
 * case-insensitively (env names are conventionally upper case; symbols keep their case).
 * Returns dotted path -> env var name, so validation errors can name the variable.
 */
export function applyEnvOverrides(tree: Tree, env: NodeJS.ProcessEnv): Map<string, string> {
  const provenance = new Map<string, string>();
  const set = (name: string, path: string[], value: unknown): void => {
    let node: Tree = tree;
    const resolved: string[] = [];
    path.forEach((part, i) => {
      const existing = Object.keys(node).find((k) => k.toLowerCase() === part.toLowerCase());
      const key = existing ?? part.toLowerCase();
      resolved.push(key);
      if (i === path.length - 1) {
        node[key] = value;
        return;
      }
      const next = node[key];
      if (next === undefined) node[key] = {};
      else if (typeof next !== 'object' || next === null || Array.isArray(next)) {
        throw ERR_CONFIG_ENV(name, `${resolved.join('.')} is a value, not a table`);
      }
      node = node[key] as Tree;
    });
    provenance.set(resolved.join('.'), name);
  };
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).split('__').filter(Boolean);
    if (path.length === 0) throw ERR_CONFIG_ENV(name, 'no key path after HFT__');
    set(name, path, parseEnvValue(raw));
  }
  // Conventional service URLs, as every tool in the ecosystem reads them.
  if (env['REDIS_URL']) set('REDIS_URL', ['services', 'redis_url'], env['REDIS_URL']);
  if (env['DATABASE_URL']) set('DATABASE_URL', ['services', 'database_url'], env['DATABASE_URL']);
  return provenance;
}
