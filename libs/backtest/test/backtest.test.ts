import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { runBacktest } from '../src/index.js';

const root = workspaceRoot();
const cfg = loadConfig({ path: join(root, 'config', 'platform.toml'), env: {} });

describe('runBacktest', () => {
  it('replays the sample through the configured strategies and the simulator, deterministically', async () => {
    const req = {
      files: [{ path: join(root, 'data', 'market_data.csv'), format: 'auto' as const }],
      to: { sec: 1772461800 + 120, nsec: 0 },
      strategies: { mm_aapl: cfg.strategy.params['mm_aapl']!, meanrev_msft: cfg.strategy.params['meanrev_msft']! },
      baseDir: root,
      fees: () => ({ maker_bps: -0.2, taker_bps: 0.5 }),
      bookDepth: 10,
    };
    const log = createLogger({ daemon: 'bt', destination: new PassThrough() });
    const a = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), log);
    expect(a.ticks).toBeGreaterThan(10_000);
    expect(a.dataSeconds).toBeGreaterThan(100);
    expect(a.orders).toBeGreaterThan(10);
    expect(a.fills).toBeGreaterThan(0);
    const mm = a.strategies.find((s) => s.id === 'mm_aapl')!;
    // Positions are the sum of the fills.
    const net = a.fillsSample.filter((f) => f.strategyId === 'mm_aapl').reduce((q, f) => q + (f.side === 'buy' ? f.qty : -f.qty), 0);
    expect(mm.positions.find((p) => p.symbol === 'AAPL')?.qty ?? 0).toBe(net);
    const b = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), log);
    expect({ ...b, wallSeconds: 0 }).toEqual({ ...a, wallSeconds: 0 });
  });

  it('hands the chain snapshots market-data would publish to a delta hedger, which stays inside its band', async () => {
    const req = {
      files: ['market_data.csv', 'aapl_options.csv', 'vix.csv'].map((f) => ({ path: join(root, 'data', f), format: 'auto' as const })),
      strategies: { hedge_aapl: cfg.strategy.params['hedge_aapl']! },
      baseDir: root,
      fees: () => ({ maker_bps: -0.2, taker_bps: 0.5 }),
      bookDepth: 10,
      options: cfg.options,
    };
    const r = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), createLogger({ daemon: 'bt', destination: new PassThrough() }));
    // One snapshot per data second with changes, plus the final one.
    expect(r.chains).toBeGreaterThanOrEqual(290);
    const hedger = r.strategies.find((s) => s.id === 'hedge_aapl')!;
    const qty = (sym: string): number => hedger.positions.find((p) => p.symbol === sym)?.qty ?? 0;
    expect(qty('AAPL260320C190')).toBe(-5);
    // Short calls are hedged with long shares: about 5 x 100 x delta of them.
    expect(qty('AAPL')).toBeGreaterThan(100);
    const st = hedger.stats;
    expect(st['hedges']!).toBeGreaterThanOrEqual(1);
    expect(Math.abs(st['delta']!)).toBeLessThanOrEqual(st['band']!);
    expect(st['max_abs_delta_after_hedge']!).toBeLessThanOrEqual(st['band']!);
    expect(Math.abs(qty('AAPL') - 500 * st['option_delta']!)).toBeCloseTo(Math.abs(st['delta']!), 6);
  });
});
