import { defineError } from '@hft/errors';

export const ERR_STRATEGY_UNKNOWN_KIND = defineError('HFT_STRATEGY_UNKNOWN_KIND', (id: string, kind: string, known: string[]) => ({
  message: `strategy ${id}: unknown kind ${JSON.stringify(kind)} (built-in: ${known.join(', ')}; or set module = "path/to/plugin.js")`,
  details: { id, kind },
}));

export const ERR_STRATEGY_PARAMS = defineError('HFT_STRATEGY_PARAMS', (id: string, issues: string) => ({
  message: `[strategy.params.${id}] is invalid: ${issues}`,
  details: { id },
}));

export const ERR_STRATEGY_MODULE = defineError('HFT_STRATEGY_MODULE', (id: string, path: string, why: string) => ({
  message: `strategy ${id}: cannot load plugin module ${path}: ${why}`,
  details: { id, path },
}));

export const ERR_STRATEGY_NO_CHAIN = defineError('HFT_STRATEGY_NO_CHAIN', (id: string, underlying: string) => ({
  message: `strategy ${id} follows the option chain of ${underlying}, which has no listed options (add an [[option_chains]] entry for it)`,
  details: { id, underlying },
}));
