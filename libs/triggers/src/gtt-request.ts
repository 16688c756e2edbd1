import { z } from 'zod';
import type { BracketSpec, ConditionalKind, ConditionalSpec } from './conditional-orders.js';

// The GTT request of the source documents (Kite-style): an entry trigger, then a target and a
// stop-loss (optionally trailing) once the entry has filled. Field names stay as users send them.
const rule = z
  .object({
    strategy: z.enum(['ENTRY', 'TARGET', 'STOPLOSS']),
    trigger_type: z.enum(['ABOVE', 'BELOW', 'IMMEDIATE']),
    trigger_price: z.number().positive(),
    trailing_gap: z.number().positive().optional(),
  })
  .strict();

export const gttRequestSchema = z
  .object({
    type: z.enum(['SINGLE', 'MULTIPLE']),
    instrument: z.string().min(1),
    transaction_type: z.enum(['BUY', 'SELL']),
    quantity: z.number().positive(),
    rules: z.array(rule).min(1).max(3),
  })
  .strict()
  .superRefine((g, ctx) => {
    const at = (i: number, field: string, message: string): void => void ctx.addIssue({ code: 'custom', path: ['rules', i, field], message });
    const entries = g.rules.map((r, i) => [r, i] as const).filter(([r]) => r.strategy === 'ENTRY');
    if (entries.length !== 1) ctx.addIssue({ code: 'custom', path: ['rules'], message: `needs exactly one ENTRY rule, has ${entries.length}` });
    const seen = new Set<string>();
    g.rules.forEach((r, i) => {
      if (seen.has(r.strategy)) at(i, 'strategy', `a second ${r.strategy} rule`);
      seen.add(r.strategy);
      if (r.strategy === 'ENTRY' && r.trigger_type === 'IMMEDIATE') at(i, 'trigger_type', 'an ENTRY triggers ABOVE or BELOW its price');
      if (r.strategy !== 'ENTRY' && r.trigger_type !== 'IMMEDIATE') at(i, 'trigger_type', `a ${r.strategy} is IMMEDIATE (it waits from the entry's fill)`);
      if (r.trailing_gap !== undefined && r.strategy !== 'STOPLOSS') at(i, 'trailing_gap', 'only a STOPLOSS trails');
    });
    if (g.type === 'SINGLE' && g.rules.length !== 1) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'a SINGLE GTT has the ENTRY rule only' });
    if (g.type === 'MULTIPLE' && g.rules.length < 2) ctx.addIssue({ code: 'custom', path: ['rules'], message: 'a MULTIPLE GTT has a TARGET or a STOPLOSS after its ENTRY' });
    const entry = entries[0]?.[0];
    if (!entry) return;
    // For a buy the target is above the entry and the stop below; for a sell the other way.
    const up = g.transaction_type === 'BUY' ? 1 : -1;
    g.rules.forEach((r, i) => {
      if (r.strategy === 'TARGET' && (r.trigger_price - entry.trigger_price) * up <= 0) at(i, 'trigger_price', `a ${g.transaction_type} target must be ${up > 0 ? 'above' : 'below'} the entry ${entry.trigger_price}`);
      if (r.strategy === 'STOPLOSS' && (r.trigger_price - entry.trigger_price) * up >= 0) at(i, 'trigger_price', `a ${g.transaction_type} stop-loss must be ${up > 0 ? 'below' : 'above'} the entry ${entry.trigger_price}`);
    });
  });

export type GttRequest = z.infer<typeof gttRequestSchema>;

export interface GttIssue {
  /** Where in the request, e.g. "rules.2.trigger_price". */
  path: string;
  message: string;
}

/** Prices and quantities of the instrument as integer units; null when the value is not on its tick or lot. */
export interface GttUnits {
  price(p: number): number | null;
  quantity(q: number): number | null;
}

export type GttParsed = { ok: true; request: GttRequest; bracket: BracketSpec; owner: { strategyId: string; symbol: string; side: 'buy' | 'sell' } } | { ok: false; issues: GttIssue[] };

/**
 * A GTT request as a bracket of conditional orders: ENTRY ABOVE is a buy stop (or a sell if-touched),
 * BELOW a buy if-touched (or a sell stop), each releasing a market order; TARGET a limit-if-touched at
 * its price on the exit side; STOPLOSS a stop, or with `trailing_gap` a trailing stop whose level
 * starts at its price and follows the best price since the entry filled minus the gap.
 */
export function parseGtt(body: unknown, id: string, strategyId: string, units: GttUnits): GttParsed {
  const r = gttRequestSchema.safeParse(body);
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })) };
  const g = r.data;
  const issues: GttIssue[] = [];
  const unit = (v: number, path: string, of: 'price' | 'quantity'): number => {
    const u = units[of](v);
    if (u === null) issues.push({ path, message: `${v} is not a whole number of ${of === 'price' ? 'ticks' : 'lots'} of ${g.instrument}` });
    return u ?? 0;
  };
  const side = g.transaction_type === 'BUY' ? 'buy' : 'sell';
  const quantity = unit(g.quantity, 'quantity', 'quantity');
  let entry: ConditionalSpec | null = null;
  const legs: BracketSpec['legs'] = [];
  g.rules.forEach((rule, i) => {
    const price = unit(rule.trigger_price, `rules.${i}.trigger_price`, 'price');
    if (rule.strategy === 'ENTRY') {
      const kind: ConditionalKind = (rule.trigger_type === 'ABOVE') === (side === 'buy') ? 'stop' : 'market_if_touched';
      entry = { id: `${id}:entry`, strategyId, symbol: g.instrument, side, quantity, kind, triggerPrice: price, triggerOn: 'last' };
    } else if (rule.strategy === 'TARGET') legs.push({ kind: 'limit_if_touched', triggerPrice: price, limitPrice: price, triggerOn: 'last' });
    else if (rule.trailing_gap !== undefined) legs.push({ kind: 'trailing_stop', triggerPrice: price, trailing: { units: unit(rule.trailing_gap, `rules.${i}.trailing_gap`, 'price') }, triggerOn: 'last' });
    else legs.push({ kind: 'stop', triggerPrice: price, triggerOn: 'last' });
  });
  if (issues.length) return { ok: false, issues };
  return { ok: true, request: g, bracket: { id, entry, legs }, owner: { strategyId, symbol: g.instrument, side } };
}
