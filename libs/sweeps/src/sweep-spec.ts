import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'smol-toml';
import { z } from 'zod';
import { TICK_FORMATS, type PlatformConfig } from '@hft/config';
import { errorMessage } from '@hft/errors';
import { ERR_SWEEP_SPEC } from './errors.js';

const file = z.union([z.string().min(1), z.object({ path: z.string().min(1), format: z.enum(TICK_FORMATS).default('auto'), symbol: z.string().optional() }).strict()]);
const value = z.union([z.number(), z.string(), z.boolean()]);

/** sweep.toml (README "Backtest sweeps"). */
export const sweepSpecSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** Data sets: each a list of tick files replayed together (one list = one data set). */
    data: z.union([z.array(file).min(1), z.array(z.array(file).min(1)).min(1)]),
    strategies: z
      .array(
        z
          .object({
            /** An id of [strategy.params] in the platform config: the base parameters. */
            id: z.string().min(1),
            /** Parameters changed from the base, each a list of values: every combination is a run. */
            grid: z.record(z.string(), z.array(value).min(1).max(1000)).default({}),
            /** Or explicit runs: each a set of changes from the base (with grid: each run x the grid). */
            runs: z.array(z.record(z.string(), value)).min(1).optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type SweepSpec = z.output<typeof sweepSpecSchema>;

export type FileRef = string | { path: string; format: (typeof TICK_FORMATS)[number]; symbol?: string | undefined };

/** One backtest of a sweep: a strategy with its parameters on a data set. */
export interface SweepJob {
  /** Stable across runs of the same spec: a hash of what the job is. */
  key: string;
  strategyId: string;
  params: Record<string, unknown>;
  /** What was changed from the base (for reports and heat maps). */
  changes: Record<string, string | number | boolean>;
  files: FileRef[];
}

/** Every combination of the grid's values (in the grid's key order). */
function combinations(grid: Record<string, (string | number | boolean)[]>): Record<string, string | number | boolean>[] {
  let out: Record<string, string | number | boolean>[] = [{}];
  for (const [k, values] of Object.entries(grid)) out = out.flatMap((o) => values.map((v) => ({ ...o, [k]: v })));
  return out;
}

/** The jobs of a sweep, in a stable order; the platform config gives each strategy's base parameters. */
export function sweepJobs(spec: SweepSpec, cfg: PlatformConfig): SweepJob[] {
  const sets: FileRef[][] = Array.isArray(spec.data[0]) ? (spec.data as FileRef[][]) : [spec.data as FileRef[]];
  const jobs: SweepJob[] = [];
  for (const s of spec.strategies) {
    const base = cfg.strategy.params[s.id];
    if (!base) throw ERR_SWEEP_SPEC('strategies', `no [strategy.params.${s.id}] in the platform config (known: ${Object.keys(cfg.strategy.params).join(', ')})`);
    for (const g of Object.keys(s.grid)) if (g === 'kind' || g === 'module') throw ERR_SWEEP_SPEC(`strategies.${s.id}.grid.${g}`, 'the kind is the base strategy\'s; sweep its parameters');
    const runs = (s.runs ?? [{}]).flatMap((r) => combinations(s.grid).map((g) => ({ ...r, ...g })));
    for (const files of sets) {
      for (const changes of runs) {
        const params = { ...base, ...changes };
        const key = createHash('sha256').update(JSON.stringify([s.id, params, files])).digest('hex').slice(0, 16);
        jobs.push({ key, strategyId: s.id, params, changes, files });
      }
    }
  }
  const seen = new Set<string>();
  return jobs.filter((j) => !seen.has(j.key) && seen.add(j.key));
}

export function loadSweepSpec(path: string): SweepSpec {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw ERR_SWEEP_SPEC(basename(path), errorMessage(e));
  }
  const r = sweepSpecSchema.safeParse(raw);
  if (!r.success) throw ERR_SWEEP_SPEC(basename(path), r.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; '));
  return r.data;
}
