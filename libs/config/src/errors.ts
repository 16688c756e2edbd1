import { defineError } from '@hft/errors';

/** Error registry of the config lib. Codes are stable; messages say what, where and why. */
export const ERR_CONFIG_NOT_FOUND = defineError('HFT_CONFIG_NOT_FOUND', (path: string) => ({
  message: `config file not found: ${path} (set HFT_CONFIG or run from the repository)`,
  details: { path },
}));

export const ERR_CONFIG_SYNTAX = defineError('HFT_CONFIG_SYNTAX', (path: string, line: number, column: number, why: string) => ({
  message: `${path}:${line}:${column}: TOML syntax error: ${why}`,
  details: { path, line, column },
}));

export interface ConfigIssue {
  /** Dotted key path, e.g. "risk.default_limits.max_order_qty". */
  key: string;
  /** "platform.toml:42" or "env HFT__RISK__..." */
  where: string;
  line: number | null;
  why: string;
}

export const ERR_CONFIG_INVALID = defineError('HFT_CONFIG_INVALID', (path: string, issues: ConfigIssue[]) => ({
  message:
    `invalid configuration in ${path}:\n` + issues.map((i) => `  ${i.where}: ${i.key}: ${i.why}`).join('\n'),
  details: { path, issues },
}));

export const ERR_CONFIG_ENV = defineError('HFT_CONFIG_ENV', (name: string, why: string) => ({
  message: `environment override ${name} cannot be applied: ${why}`,
  details: { name },
}));

export const ERR_UNKNOWN_INSTRUMENT = defineError('HFT_UNKNOWN_INSTRUMENT', (symbol: string, known: string[]) => ({
  message: `unknown instrument ${JSON.stringify(symbol)}: not in [[instruments]] (known: ${known.slice(0, 12).join(', ')}${known.length > 12 ? ` and ${known.length - 12} more` : ''})`,
  details: { symbol },
}));
