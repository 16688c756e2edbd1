import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage } from '@hft/errors';
import { deltaHedger } from './builtins/delta-hedger.js';
import { marketMaker } from './builtins/market-maker.js';
import { meanReversion } from './builtins/mean-reversion.js';
import { rangeBreakout } from './builtins/range-breakout.js';
import { scannerMomentum } from './builtins/scanner-momentum.js';
import { vwapExecution } from './builtins/vwap-execution.js';
import { ERR_STRATEGY_MODULE, ERR_STRATEGY_PARAMS, ERR_STRATEGY_UNKNOWN_KIND } from './errors.js';
import type { Strategy, StrategyDefinition } from './strategy.js';

/** Built-in strategy kinds. A new built-in is one file in builtins/ plus one line here. */
export const BUILTIN_STRATEGIES: Record<string, StrategyDefinition<never>> = {
  [deltaHedger.kind]: deltaHedger as StrategyDefinition<never>,
  [marketMaker.kind]: marketMaker as StrategyDefinition<never>,
  [meanReversion.kind]: meanReversion as StrategyDefinition<never>,
  [rangeBreakout.kind]: rangeBreakout as StrategyDefinition<never>,
  [scannerMomentum.kind]: scannerMomentum as StrategyDefinition<never>,
  [vwapExecution.kind]: vwapExecution as StrategyDefinition<never>,
};

/**
 * Create a strategy from its config entry: `kind` names a built-in, or `module` points at a plugin
 * file (relative to `baseDir`) whose default export is a StrategyDefinition. Params are validated by
 * the definition's own schema (`module` itself is removed first).
 */
export async function createStrategy(id: string, params: Record<string, unknown>, baseDir: string): Promise<Strategy> {
  const { module, ...rest } = params as { module?: string; kind?: string };
  let def: StrategyDefinition<unknown> | undefined;
  if (typeof module === 'string') {
    const path = isAbsolute(module) ? module : resolve(baseDir, module);
    try {
      const mod = (await import(pathToFileURL(path).href)) as { default?: StrategyDefinition<unknown> };
      def = mod.default;
    } catch (e) {
      throw ERR_STRATEGY_MODULE(id, path, errorMessage(e));
    }
    if (!def || typeof def.create !== 'function' || !def.params) throw ERR_STRATEGY_MODULE(id, path, 'its default export is not a StrategyDefinition (defineStrategy({ kind, params, create }))');
  } else {
    def = BUILTIN_STRATEGIES[String(rest.kind)] as StrategyDefinition<unknown> | undefined;
    if (!def) throw ERR_STRATEGY_UNKNOWN_KIND(id, String(rest.kind), Object.keys(BUILTIN_STRATEGIES));
  }
  const parsed = def.params.safeParse(rest);
  if (!parsed.success) throw ERR_STRATEGY_PARAMS(id, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return def.create(id, parsed.data);
}
