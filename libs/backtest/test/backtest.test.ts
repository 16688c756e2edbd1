import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InstrumentRegistry, loadConfig, workspaceRoot } from '@hft/config';
import { createLogger } from '@hft/logging';
import { gttToPlace } from '@hft/triggers';
import { runBacktest, type BacktestResult } from '../src/index.js';

const root = workspaceRoot();
const cfg = loadConfig({ path: join(root, 'config', 'platform.toml'), env: {} });

/** A result without what the wall clock decides (its duration, tick-to-trade timings; their count is data). */
const deterministic = (r: BacktestResult) => ({ ...r, wallSeconds: 0, tickToTrade: { count: r.tickToTrade.count } });

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
    // What a run's report draws: fills at their data times, the traded symbols' prices, tick-to-trade.
    const [t0, t1] = [BigInt(a.equity[0]!.ts), BigInt(a.equity.at(-1)!.ts)];
    for (const f of a.fillsSample) expect(BigInt(f.ts) >= t0 - 1_000_000_000n && BigInt(f.ts) <= t1).toBe(true);
    const aapl = a.prices.find((p) => p.symbol === 'AAPL')!;
    expect(aapl.points.length).toBeGreaterThan(100);
    for (const [, px] of aapl.points) expect(px).toBeGreaterThan(180);
    expect(a.tickToTrade.count).toBeGreaterThan(0);
    expect(a.tickToTrade.count).toBeLessThanOrEqual(a.orders);
    expect(a.tickToTrade.histogram.reduce((n, b) => n + b.count, 0)).toBe(a.tickToTrade.count);
    expect(a.tickToTrade.p50Us!).toBeLessThanOrEqual(a.tickToTrade.p99Us!);
    const b = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), log);
    expect(deterministic(b)).toEqual(deterministic(a));
  });

  it('backtests an ITCH 5.0 file like any other format: the market maker trades the order-level book it describes', async () => {
    const req = {
      files: [{ path: join(root, 'data', 'itch', '03022026.NASDAQ_ITCH50'), format: 'auto' as const }],
      strategies: { mm_aapl: cfg.strategy.params['mm_aapl']! },
      baseDir: root,
      fees: () => ({ maker_bps: -0.2, taker_bps: 0.5 }),
      bookDepth: 10,
    };
    const log = createLogger({ daemon: 'bt', destination: new PassThrough() });
    const r = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), log);
    expect(r.badRows).toBe(0);
    expect(r.ticks).toBeGreaterThan(5000);
    expect(r.orders).toBeGreaterThan(0);
    const again = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), log);
    expect(deterministic(again)).toEqual(deterministic(r));
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

  it('runs the trigger engine: a GTT fires on the first trade through its level and its trailing stop-loss where an independent trail says', async () => {
    const registry = InstrumentRegistry.fromConfig(cfg);
    const gtt = { type: 'MULTIPLE', quantity: 10, instrument: 'AAPL', transaction_type: 'BUY', rules: [{ strategy: 'ENTRY', trigger_type: 'ABOVE', trigger_price: 187.6 }, { strategy: 'TARGET', trigger_type: 'IMMEDIATE', trigger_price: 187.9 }, { strategy: 'STOPLOSS', trigger_type: 'IMMEDIATE', trigger_price: 187.45, trailing_gap: 0.05 }] };
    const p = gttToPlace(gtt, 'g1', 'manual', (s) => registry.find(s));
    if (!p.ok) throw new Error(JSON.stringify(p.issues));
    const req = { files: [{ path: join(root, 'data', 'market_data.csv'), format: 'auto' as const }], strategies: {}, baseDir: root, fees: () => ({ maker_bps: -0.2, taker_bps: 0.5 }), bookDepth: 10, conditional: [{ order: p.place }] };
    const r = await runBacktest(req, registry, createLogger({ daemon: 'bt', destination: new PassThrough() }));

    // The same from the file's AAPL trades alone: the first at or above 187.60, then the trail (floor 187.45, gap 0.05) from there.
    const trades = readFileSync(join(root, 'data', 'market_data.csv'), 'utf8').split('\n').slice(1).map((l) => l.split(',')).filter((c) => c[1] === 'AAPL' && c[2] === 'trade').map((c) => ({ ts: c[0]!, cents: Math.round(Number(c[4]) * 100) }));
    const e = trades.findIndex((t) => t.cents >= 18_760);
    let high = trades[e]!.cents;
    let exit: { ts: string; cents: number; level: number; part: string } | undefined;
    for (const t of trades.slice(e + 1)) {
      const level = Math.max(18_745, high - 5);
      if (t.cents >= 18_790) exit = { ...t, level: 18_790, part: 'leg0' };
      else if (t.cents <= level) exit = { ...t, level, part: 'leg1' };
      if (exit) break;
      high = Math.max(high, t.cents);
    }
    expect(r.conditional.triggers.map((t) => [t.part, t.tsEvent, Math.round(t.price * 100), Math.round(t.level * 100)])).toEqual([
      ['entry', trades[e]!.ts, trades[e]!.cents, 18_760],
      [exit!.part, exit!.ts, exit!.cents, exit!.level],
    ]);
    expect(r.conditional.orders).toEqual([{ conditionalId: 'g1', strategyId: 'manual', status: 'Completed', reason: null }]);
    const mine = r.fillsSample.filter((f) => f.strategyId === 'manual');
    expect(new Set(mine.map((f) => `${f.clientOrderId} ${f.side}`))).toEqual(new Set(['g1:entry buy', `g1:${exit!.part} sell`]));
    expect(mine.reduce((q, f) => q + (f.side === 'buy' ? f.qty : -f.qty), 0)).toBe(0);
  });

  it('a strategy places brackets through ctx.submit: the range breakout trades them in and out', async () => {
    const req = { files: [{ path: join(root, 'data', 'market_data.csv'), format: 'auto' as const }], strategies: { breakout_aapl: cfg.strategy.params['breakout_aapl']! }, baseDir: root, fees: () => ({ maker_bps: -0.2, taker_bps: 0.5 }), bookDepth: 10 };
    const r = await runBacktest(req, InstrumentRegistry.fromConfig(cfg), createLogger({ daemon: 'bt', destination: new PassThrough() }));
    const st = r.strategies.find((s) => s.id === 'breakout_aapl')!;
    expect(st.stats['brackets']!).toBeGreaterThanOrEqual(2);
    expect(st.stats['completed']!).toBeGreaterThanOrEqual(1);
    // Every completed bracket bought and sold the same quantity: flat in between, the entry at most open at the end.
    const done = r.conditional.orders.filter((o) => o.status === 'Completed').map((o) => o.conditionalId);
    for (const id of done) {
      const fills = r.fillsSample.filter((f) => f.clientOrderId.startsWith(`${id}:`));
      expect(fills.reduce((q, f) => q + (f.side === 'buy' ? f.qty : -f.qty), 0)).toBe(0);
    }
    expect(r.conditional.triggers.every((t) => t.strategyId === 'breakout_aapl')).toBe(true);
  });
});
