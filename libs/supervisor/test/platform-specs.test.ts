import { join } from 'node:path';
import { loadConfig, workspaceRoot } from '@hft/config';
import { describe, expect, it } from 'vitest';
import { platformSpecs, type DaemonName } from '../src/index.js';

const accounts = { monitoring: { serviceUser: 'm', passwordFile: 'f' }, risk: { serviceUser: 'r', passwordFile: 'f' }, strategy: { serviceUser: 's', passwordFile: 'f' }, fixGateway: { serviceUser: 'x', passwordFile: 'f' } } as never;

/** The consumers the market-data spec waits for (its --wait-for). */
function waitsFor(env: Record<string, string>, o: { only?: DaemonName[]; running?: DaemonName[] } = {}): string[] {
  const cfg = loadConfig({ path: join(workspaceRoot(), 'config', 'platform.toml'), env });
  const md = platformSpecs(cfg, { speed: 'max', files: [], loop: false, accounts, runDir: '/tmp', ...o }).find((s) => s.name === 'market-data')!;
  const args = md.args!;
  return args[args.indexOf('--wait-for') + 1]!.split(',').filter(Boolean);
}

describe('platformSpecs: market-data waits for its consumers by name', () => {
  it('every started daemon that reads ticks and books, and market-services only when it runs', () => {
    expect(waitsFor({ HFT__MARKET_SERVICES__ENABLED: 'true' }).sort()).toEqual(['execution', 'market-services', 'monitoring', 'risk', 'strategy']);
    expect(waitsFor({ HFT__MARKET_SERVICES__ENABLED: 'false' }).sort()).toEqual(['execution', 'monitoring', 'risk', 'strategy']);
  });

  it('started on its own after the others (a held start), it waits for the ones already running', () => {
    expect(waitsFor({ HFT__MARKET_SERVICES__ENABLED: 'true' }, { only: ['market-data'], running: ['security', 'market-services', 'risk', 'execution'] }).sort()).toEqual(['execution', 'market-services', 'risk']);
    expect(waitsFor({}, { only: ['market-data'] })).toEqual([]);
  });
});
