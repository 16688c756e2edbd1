import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ERR_CONFIG_INVALID,
  ERR_CONFIG_NOT_FOUND,
  ERR_CONFIG_SYNTAX,
  InstrumentRegistry,
  loadConfig,
  parseConfig,
  workspaceRoot,
} from '../src/index.js';
import type { HftError } from '@hft/errors';

const realPath = join(workspaceRoot(), 'config', 'platform.toml');
const real = readFileSync(realPath, 'utf8');

function failure(fn: () => unknown): HftError {
  try {
    fn();
  } catch (e) {
    return e as HftError;
  }
  throw new Error('expected a failure');
}

function lineNumberOf(source: string, needle: string): number {
  return source.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

describe('loadConfig', () => {
  it('loads and validates the shipped config/platform.toml', () => {
    const cfg = loadConfig({ path: realPath, env: {} });
    expect(cfg.endpoints.ticks).toEqual({ bind: 'tcp://127.0.0.1:5555', connect: 'tcp://127.0.0.1:5555' });
    expect(cfg.risk.symbol_limits['BTC-USDT']?.max_order_qty).toBe(5);
    expect(cfg.strategy.enabled).toContain('mm_aapl');
    expect(cfg.execution.latency_min_us).toBe(50);
  });

  it('names the key and the line of a bad value', () => {
    const bad = real.replace('max_order_qty = 10000', 'max_order_qty = "lots"');
    const e = failure(() => parseConfig(bad, 'config/platform.toml'));
    expect(ERR_CONFIG_INVALID.is(e)).toBe(true);
    const line = lineNumberOf(bad, 'max_order_qty = "lots"');
    expect(e.message).toContain(`config/platform.toml:${line}: risk.default_limits.max_order_qty:`);
    expect(e.details['issues']).toEqual([expect.objectContaining({ key: 'risk.default_limits.max_order_qty', line })]);
  });

  it('points a missing key at its table and an unknown key at its own line', () => {
    const bad = real.replace(/^book_depth = 10.*\n/m, '').replace('max_batch = 256', 'max_batch = 256\nmax_bacth = 3');
    const e = failure(() => parseConfig(bad, 'platform.toml'));
    const issues = e.details['issues'] as { key: string; line: number }[];
    expect(issues.find((i) => i.key === 'market_data.book_depth')).toMatchObject({ line: lineNumberOf(bad, '[market_data]'), why: 'required key is missing (expected number)' });
    expect(e.message).toMatch(/max_bacth/);
  });

  it('locates keys inside array tables', () => {
    const bad = real.replace('symbol = "MSFT"\nprice_decimals = 2\ntick_size = 0.01', 'symbol = "MSFT"\nprice_decimals = 2\ntick_size = 0.015');
    const e = failure(() => parseConfig(bad, 'platform.toml'));
    expect(e.message).toContain(`platform.toml:${lineNumberOf(bad, 'tick_size = 0.015')}: instruments.1.tick_size: must be a whole number of units`);
  });

  it('reports TOML syntax errors with line and column', () => {
    const bad = real.replace('[oms]', '[oms\n');
    const e = failure(() => parseConfig(bad, 'platform.toml'));
    expect(ERR_CONFIG_SYNTAX.is(e)).toBe(true);
    expect(e.details['line']).toBe(lineNumberOf(bad, '[oms'));
  });

  it('applies environment overrides, case-insensitively, and names the variable in errors', () => {
    const cfg = parseConfig(real, 'platform.toml', {
      HFT__RISK__DEFAULT_LIMITS__MAX_ORDER_QTY: '500',
      'HFT__RISK__SYMBOL_LIMITS__BTC-USDT__MAX_POSITION': '7',
      HFT__ENDPOINTS__TICKS__CONNECT: 'tcp://10.0.0.1:5555',
      HFT__STRATEGY__ENABLED: '["mm_aapl"]',
      REDIS_URL: 'redis://127.0.0.1:6390/1',
    });
    expect(cfg.risk.default_limits.max_order_qty).toBe(500);
    expect(cfg.risk.symbol_limits['BTC-USDT']?.max_position).toBe(7);
    expect(cfg.endpoints.ticks).toEqual({ bind: 'tcp://127.0.0.1:5555', connect: 'tcp://10.0.0.1:5555' });
    expect(cfg.strategy.enabled).toEqual(['mm_aapl']);
    expect(cfg.services.redis_url).toBe('redis://127.0.0.1:6390/1');
    const e = failure(() => parseConfig(real, 'platform.toml', { HFT__OMS__BATCH_MAX: 'many' }));
    expect(e.message).toContain('env HFT__OMS__BATCH_MAX: oms.batch_max:');
    // A table the file does not have, created by environment variables: they are blamed, not a line of the file.
    const table = failure(() => parseConfig(real, 'platform.toml', { HFT__STRATEGY__PARAMS__BREAKOUT__QTY: '100', HFT__STRATEGY__PARAMS__BREAKOUT__LOOKBACK: '20' }));
    expect(table.message).toContain('env HFT__STRATEGY__PARAMS__BREAKOUT__LOOKBACK, HFT__STRATEGY__PARAMS__BREAKOUT__QTY: strategy.params.breakout.kind:');
    expect(table.message).not.toMatch(/platform\.toml:\d+: strategy\.params\.breakout/);
  });

  it('takes a plugin strategy without a kind (the module names it), and says what a strategy needs', () => {
    const plugin = parseConfig(real, 'platform.toml', { HFT__STRATEGY__PARAMS__BREAKOUT__MODULE: '"apps/strategy/plugins/breakout.mjs"', HFT__STRATEGY__PARAMS__BREAKOUT__SYMBOL: '"NVDA"' });
    expect(plugin.strategy.params['breakout']).toMatchObject({ module: 'apps/strategy/plugins/breakout.mjs', symbol: 'NVDA' });
    const neither = failure(() => parseConfig(real, 'platform.toml', { HFT__STRATEGY__PARAMS__X__SYMBOL: '"NVDA"' }));
    expect(neither.message).toContain('strategy.params.x.kind: needs kind (a built-in strategy) or module (a plugin file)');
  });

  it('cross-checks references: enabled strategies need params, params need known instruments', () => {
    const bad = real.replace('enabled = ["mm_aapl", "meanrev_msft", "vwap_btc", "hedge_aapl"]', 'enabled = ["mm_aapl", "ghost"]').replace('symbol = "BTC-USDT"\nside', 'symbol = "DOGE"\nside').replace('vol_indexes = { AAPL = "VIX" }', 'vol_indexes = { AAPL = "VXX" }');
    // The config alone as the instrument master: a strategy's symbol must be one of its instruments.
    const e = failure(() => parseConfig(bad, 'platform.toml', { HFT__INSTRUMENT_MASTER__SOURCE: 'config' }));
    expect(e.message).toContain('strategy.enabled.1: enabled strategy "ghost" has no [strategy.params.ghost] section');
    expect(e.message).toContain('strategy.params.vwap_btc.symbol: unknown instrument DOGE');
    // With the Postgres master it may be there alone: the strategy daemon checks it at start.
    const master = failure(() => parseConfig(bad, 'platform.toml'));
    expect(master.message).not.toContain('DOGE');
    expect(e.message).toMatch(/platform\.toml:\d+: options\.vol_indexes\.AAPL: unknown instrument VXX/);
  });

  it('says which file is missing', () => {
    const e = failure(() => loadConfig({ path: '/nonexistent/platform.toml', env: {} }));
    expect(ERR_CONFIG_NOT_FOUND.is(e)).toBe(true);
    expect(e.message).toContain('/nonexistent/platform.toml');
  });
});

describe('InstrumentRegistry', () => {
  it('derives integer grids', () => {
    const reg = InstrumentRegistry.fromConfig(loadConfig({ path: realPath, env: {} }));
    expect(reg.get('BTC-USDT')).toMatchObject({ priceScale: 100, qtyScale: 100_000, tickUnits: 1, lotUnits: 1 });
    expect(() => reg.get('ZZZ')).toThrow(/unknown instrument "ZZZ"/);
  });
});
