import { setTimeout as sleep } from 'node:timers/promises';
import { InstrumentRegistry, type InstrumentConfig, type PlatformConfig } from '@hft/config';
import { errorMessage } from '@hft/errors';
import type { Logger } from '@hft/logging';
import { ERR_MASTER_UNREACHABLE } from './errors.js';
import { InstrumentMaster } from './instrument-master.js';
import { rowToConfig, type InstrumentRow } from './instrument-row.js';
import { storePool } from './store-pool.js';

/**
 * Every configured instrument and every master row, the config's entry winning for a symbol both
 * have (what the operator edited last; market-services writes it into the master too). The master
 * is read when [instrument_master] source = "postgres"; before its table exists the config alone.
 */
export function mergeInstruments(master: readonly InstrumentConfig[], config: readonly InstrumentConfig[]): InstrumentConfig[] {
  const bySymbol = new Map(master.map((c) => [c.symbol, c]));
  for (const c of config) bySymbol.set(c.symbol, c);
  return [...bySymbol.values()];
}

/**
 * The registry of master rows and configured instruments (mergeInstruments), and the rows left out
 * because the config's checks refuse them (symbol and why).
 */
export function registryOf(rows: readonly InstrumentRow[], config: readonly InstrumentConfig[]): { registry: InstrumentRegistry; refused: { symbol: string; why: string }[] } {
  const configs: InstrumentConfig[] = [];
  const refused: { symbol: string; why: string }[] = [];
  for (const r of rows) {
    const c = rowToConfig(r);
    if (c.ok) configs.push(c.config);
    else refused.push({ symbol: r.symbol, why: c.why });
  }
  return { registry: new InstrumentRegistry(mergeInstruments(configs, config)), refused };
}

/** The instrument registry a daemon starts with (see mergeInstruments); retries an unreachable Postgres for wait_s. */
export async function loadInstruments(cfg: PlatformConfig, log: Logger): Promise<InstrumentRegistry> {
  if (cfg.instrument_master.source === 'config') return InstrumentRegistry.fromConfig(cfg);
  const url = cfg.services.database_url;
  const deadline = Date.now() + cfg.instrument_master.wait_s * 1000;
  const pool = storePool(url, 1);
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const master = new InstrumentMaster(pool);
        if (!(await master.exists())) {
          log.info('instrument master: no instruments table yet (market-services creates it), using [[instruments]] alone');
          return InstrumentRegistry.fromConfig(cfg);
        }
        const rows = await master.all();
        const { registry, refused } = registryOf(rows, cfg.instruments);
        for (const r of refused.slice(0, 5)) log.warn(r, 'instrument master row left out');
        log.info({ master: rows.length, config: cfg.instruments.length, total: registry.symbols().length, refused: refused.length }, 'instruments loaded from the master');
        return registry;
      } catch (e) {
        if (Date.now() >= deadline) throw ERR_MASTER_UNREACHABLE(url.replace(/\/\/[^@]*@/, '//'), cfg.instrument_master.wait_s, errorMessage(e));
        if (attempt === 1) log.warn({ err: errorMessage(e) }, 'instrument master unreachable; retrying');
        await sleep(Math.min(1000, 100 * attempt));
      }
    }
  } finally {
    await pool.end().catch(() => {});
  }
}
