import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HftError } from '@hft/errors';
import { contractSymbol, InstrumentRegistry, loadConfig, occSymbol, parseConfig, strikeText, workspaceRoot, zonedInstantMs } from '../src/index.js';

const realPath = join(workspaceRoot(), 'config', 'platform.toml');
const real = readFileSync(realPath, 'utf8');
const chainStart = real.indexOf('[[option_chains]]');
const chainEnd = real.indexOf('[market_data]');

/** The shipped config with its [[option_chains]] table replaced by `toml`. */
function withChain(toml: string): string {
  return real.slice(0, chainStart) + toml + '\n' + real.slice(chainEnd);
}

function issuesOf(source: string): { key: string; why: string; line: number | null }[] {
  try {
    parseConfig(source, 'platform.toml');
  } catch (e) {
    return (e as HftError).details['issues'] as { key: string; why: string; line: number | null }[];
  }
  throw new Error('expected the config to be refused');
}

const chain = (extra: string): string => `[[option_chains]]
underlying = "AAPL"
price_decimals = 2
tick_size = 0.01
qty_decimals = 0
lot_size = 1
${extra}
`;

describe('option contracts', () => {
  it('expands the shipped AAPL chain: 2 expiries x 40 strikes x call/put', () => {
    const reg = InstrumentRegistry.fromConfig(loadConfig({ path: realPath, env: {} }));
    const chainContracts = reg.optionsOn('AAPL');
    expect(chainContracts).toHaveLength(160);
    const c = reg.get('AAPL260306C187.5');
    expect(c.option).toEqual({
      underlying: 'AAPL',
      expiry: '2026-03-06',
      expiresAtMs: Date.parse('2026-03-06T21:00:00Z'), // 16:00 New York, EST (UTC-5) that day
      strike: 187.5,
      strikeUnits: 18750,
      right: 'call',
      multiplier: 100,
      occSymbol: 'AAPL  260306C00187500',
    });
    expect(c.tickUnits).toBe(1);
    expect(chainContracts.slice(0, 3).map((i) => i.symbol)).toEqual(['AAPL260306C140', 'AAPL260306P140', 'AAPL260306C142.5']);
    expect(reg.get('AAPL').option).toBeUndefined();
  });

  it('keeps the local expiry time across a daylight-saving change', () => {
    // US clocks go forward on 2026-03-08: 16:00 New York is 21:00 UTC before and 20:00 UTC after.
    expect(zonedInstantMs('2026-03-06', '16:00', 'America/New_York')).toBe(Date.parse('2026-03-06T21:00:00Z'));
    expect(zonedInstantMs('2026-03-20', '16:00', 'America/New_York')).toBe(Date.parse('2026-03-20T20:00:00Z'));
    expect(zonedInstantMs('2026-03-20', '15:30', 'Asia/Kolkata')).toBe(Date.parse('2026-03-20T10:00:00Z'));
  });

  it('writes compact and OCC symbols', () => {
    expect(strikeText(18750, 2)).toBe('187.5');
    expect(strikeText(19000, 2)).toBe('190');
    expect(strikeText(125, 3)).toBe('0.125');
    expect(contractSymbol('SPX', '2026-12-18', 'put', 600000, 2)).toBe('SPX261218P6000');
    expect(occSymbol('SPXW', '2026-12-18', 'put', 6000)).toBe('SPXW  261218P06000000');
    expect(occSymbol('TOOLONGX', '2026-12-18', 'put', 6000)).toBeNull();
  });

  it('accepts an option declared in [[instruments]] with its terms', () => {
    const contract = `[[instruments]]
symbol = "MSFT-C-400"
price_decimals = 2
tick_size = 0.05
qty_decimals = 0
lot_size = 1
option = { underlying = "MSFT", expiry = "2026-06-19", strike = 400, right = "call" }

`;
    const first = real.indexOf('[[instruments]]');
    const reg = InstrumentRegistry.fromConfig(parseConfig(real.slice(0, first) + contract + real.slice(first), 'platform.toml'));
    expect(reg.get('MSFT-C-400').option).toMatchObject({ underlying: 'MSFT', strikeUnits: 40000, multiplier: 100, expiresAtMs: Date.parse('2026-06-19T20:00:00Z'), occSymbol: 'MSFT  260619C00400000' });
    const bad = real.slice(0, first) + contract.replace('strike = 400', 'strike = 400.001').replace('"MSFT"', '"MSFT-C-400"') + real.slice(first);
    expect(issuesOf(bad).map((i) => `${i.key}: ${i.why}`)).toContain('instruments.0.option.underlying: MSFT-C-400 is an option contract; an underlying cannot be one');
  });

  it('names the chain key that is wrong, with its line', () => {
    const cases: [string, string, RegExp][] = [
      [chain('underlying = "ZZZ"\nexpiries = ["2026-03-06"]\nstrikes = { from = 100, to = 110, step = 5 }').replace('underlying = "AAPL"\n', ''), 'option_chains.0.underlying', /unknown instrument ZZZ: the underlying must be in \[\[instruments\]\]/],
      [chain('expiries = ["2026-02-30"]\nstrikes = { from = 100, to = 110, step = 5 }'), 'option_chains.0.expiries.0', /calendar date YYYY-MM-DD/],
      [chain('expiries = ["2026-03-06", "2026-03-06"]\nstrikes = { from = 100, to = 110, step = 5 }'), 'option_chains.0.expiries.1', /listed twice/],
      [chain('expiries = ["2026-03-06"]\nstrikes = { from = 100, to = 110, step = 3 }'), 'option_chains.0.strikes.to', /whole number of steps/],
      [chain('expiries = ["2026-03-06"]\nstrikes = { from = 100.005, to = 110, step = 5 }'), 'option_chains.0.strikes.from', /whole number of units at 2 decimals \(the AAPL price grid\)/],
      [chain('expiries = ["2026-03-06"]\nstrikes = { from = 100, to = 100000, step = 0.01 }'), 'option_chains.0.strikes', /contracts; a chain holds at most 20000/],
      [chain('expiries = ["2026-03-06"]\nstrikes = { from = 1000, to = 1000.25, step = 0.25 }\nroot = "AAPLX"'), 'option_chains.0.root', /AAPLX260306C1000.25 has 19 characters, the wire carries 16: give a shorter root/],
      [chain('expiries = ["2026-03-06"]\nstrikes = { from = 100, to = 110, step = 5 }\ntimezone = "Mars/Olympus"'), 'option_chains.0.timezone', /IANA time zone/],
      [chain('expiries = ["2026-03-06"]\nstrikes = { from = 100, to = 110, step = 5 }\nexpiry_time = "4pm"'), 'option_chains.0.expiry_time', /HH:MM/],
    ];
    for (const [toml, key, why] of cases) {
      const src = withChain(toml);
      const found = issuesOf(src).find((i) => i.key === key);
      expect(found, `${key} in ${toml}`).toBeDefined();
      expect(found!.why).toMatch(why);
      expect(found!.line).toBeGreaterThan(0);
    }
  });

  it('refuses a chain on BTC-USDT without a root, and a contract that collides with an instrument', () => {
    const btc = chain('expiries = ["2026-03-27"]\nstrikes = { from = 60000, to = 70000, step = 5000 }').replace('"AAPL"', '"BTC-USDT"');
    expect(issuesOf(withChain(btc)).find((i) => i.key === 'option_chains.0.underlying')?.why).toMatch(/BTC-USDT cannot prefix contract symbols.*give a root/);
    const twice = withChain(chain('expiries = ["2026-03-06"]\nstrikes = { from = 100, to = 110, step = 5 }').repeat(2));
    expect(issuesOf(twice).some((i) => /duplicate instrument AAPL260306C100/.test(i.why))).toBe(true);
  });
});
