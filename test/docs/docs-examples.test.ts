// The docs' examples, run the way an outside user would run them against a running platform: the
// README's plugin and the risk officer's shell session (curl + jq), wire-format.md's Python decoders
// (Debian's python3 with pyzmq), data/README's CSV. Docs and code cannot drift apart unnoticed.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceRoot } from '@hft/config';
import { httpPort } from '@hft/supervisor';
import { docExample, freePorts, startTestPlatform, TEST_PASSWORD, type TestPlatform } from '@hft/testing';

const example = docExample;

const port = (endpoint: string): string => endpoint.split(':').at(-1)!;

/** The JSON values curl printed one after another (no newline between them). */
function jsonValues(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as Record<string, unknown>);
  }
  return out;
}

describe('the docs, executed', () => {
  let P: TestPlatform;
  beforeAll(async () => {
    P = await startTestPlatform({ speed: '1', loop: true, files: ['data/market_data.csv', 'data/aapl_options.csv'] });
  }, 120_000);
  afterAll(async () => P?.stop());

  it('README: the plugin example is the file the repository ships, and its config entry runs it in a backtest', async () => {
    const code = example('README.md', 'plugin');
    expect(readFileSync(join(workspaceRoot(), 'apps/strategy/plugins/breakout.mjs'), 'utf8')).toBe(code);
    const toml = parse(example('README.md', 'plugin-config')) as { strategy: { enabled: string[]; params: Record<string, Record<string, unknown>> } };
    expect(toml.strategy.enabled).toContain('breakout_nvda');
    const dana = await P.login('dana');
    const res = await fetch(P.url('monitoring', '/api/backtest'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${dana}` },
      body: JSON.stringify({ files: ['data/market_data.csv'], strategies: { breakout_nvda: toml.strategy.params['breakout_nvda'] } }),
    });
    const out = (await res.json()) as { strategies: { id: string }[]; ticks: number; report: string };
    expect(res.status, JSON.stringify(out)).toBe(200);
    expect(out.strategies.map((s) => s.id)).toEqual(['breakout_nvda']);
    expect(out.ticks).toBeGreaterThan(0);
    // Its report, where the answer says: every section of a run's report.
    const page = await fetch(P.url('monitoring', out.report));
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    for (const part of ['svg class="equity-chart"', 'svg class="drawdown-chart"', '<h2>PnL by strategy and symbol</h2>', '<h2>Fills on the price</h2>', '<h2>Tick-to-trade</h2>']) expect(html).toContain(part);
    expect((await fetch(P.url('monitoring', '/api/v1/backtests/bt-nope/report'))).status).toBe(404);
  }, 60_000);

  it("README: the risk officer's session (token, engage, status, release by POST, limits) works verbatim", () => {
    const script = example('README.md', 'risk-officer').replaceAll('127.0.0.1:9091', `127.0.0.1:${httpPort(P.cfg, 'security')}`).replaceAll('127.0.0.1:9103', `127.0.0.1:${httpPort(P.cfg, 'risk')}`);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, PASSWORD: TEST_PASSWORD }, timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const [engaged, status, released, limits] = jsonValues(r.stdout);
    expect(engaged).toEqual({ state: expect.objectContaining({ engaged: true, scope: 'global', target: null, reason: 'runaway algo', actor: 'rita', ts: expect.any(String) }) });
    // The status response has exactly the documented fields.
    expect(Object.keys(status!).sort()).toEqual(['cursors', 'killSwitches', 'persistence', 'pnlToday', 'positions', 'redis']);
    expect(Object.keys(status!['redis'] as object).sort()).toEqual(['error', 'up']);
    expect(Object.keys(status!['persistence'] as object).sort()).toEqual(['ms', 'ok', 'pending']);
    expect(status!['killSwitches']).toEqual([expect.objectContaining({ engaged: true, scope: 'global' })]);
    expect(released).toEqual({ state: expect.objectContaining({ engaged: false, reason: 'resolved' }) });
    expect(limits).toBeDefined();
  });

  it("README: the GTT session (place, modify, get, list, cancel) works verbatim", () => {
    const script = example('README.md', 'gtt').replaceAll('127.0.0.1:9091', `127.0.0.1:${httpPort(P.cfg, 'security')}`).replaceAll('127.0.0.1:9090', `127.0.0.1:${httpPort(P.cfg, 'monitoring')}`);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { encoding: 'utf8', env: { ...process.env, PASSWORD: TEST_PASSWORD }, timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const [placed, modified, got, list, canceled] = jsonValues(r.stdout) as Record<string, any>[];
    expect(placed).toMatchObject({ gtt_id: 'aapl-breakout', status: 'Pending', conditional: { strategyId: 'manual', symbol: 'AAPL', side: 'buy', quantity: 25 } });
    expect(placed!['conditional'].parts.map((x: { part: string; kind: string; status: string }) => [x.part, x.kind, x.status])).toEqual([['entry', 'stop', 'waiting'], ['leg0', 'limit_if_touched', 'idle'], ['leg1', 'trailing_stop', 'idle']]);
    expect(modified!['conditional'].parts.map((x: { triggerPrice: number }) => x.triggerPrice)).toEqual([201, 221, 191]);
    expect(modified!['conditional'].parts[0]).toMatchObject({ level: 201 });
    expect(got).toMatchObject({ gtt_id: 'aapl-breakout', conditional: { status: 'Pending' } });
    expect(list!['gtts'].map((g: { conditionalId: string }) => g.conditionalId)).toContain('aapl-breakout');
    expect(canceled).toMatchObject({ gtt_id: 'aapl-breakout', status: 'Canceled' });
  });

  it('wire-format.md: the Python decoders print ticks and book snapshots from the running platform', () => {
    const run = (name: string, from: string, to: string): string[] => {
      const code = example('libs/messages/docs/wire-format.md', name).replace(from, to);
      const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    const ticks = run('python-ticks', 'tcp://127.0.0.1:5555', `tcp://127.0.0.1:${port(P.cfg.endpoints.ticks.connect)}`);
    expect(ticks.length).toBeGreaterThan(0);
    for (const line of ticks) expect(line).toMatch(/^AAPL \d+ \d{19} \d+(\.\d+)? \d+(\.\d+)? [0-3] [0-2]$/);
    const books = run('python-books', 'tcp://127.0.0.1:5556', `tcp://127.0.0.1:${port(P.cfg.endpoints.books.connect)}`);
    expect(books).toHaveLength(1);
    expect(books[0]).toMatch(/^AAPL \d+ \d{19} \[(\(\d+(\.\d+)?, \d+(\.\d+)?\))?\] \[(\(\d+(\.\d+)?, \d+(\.\d+)?\))?\]$/);
  });

  it('wire-format.md: the Python subscriber that names itself gets the first tick of a replay that waits for it (--wait-for notebook@ticks)', async () => {
    const [t, b, a] = await freePorts(3);
    const sockets = { HFT__ENDPOINTS__TICKS__BIND: `tcp://127.0.0.1:${t}`, HFT__ENDPOINTS__BOOKS__BIND: `tcp://127.0.0.1:${b}`, HFT__ENDPOINTS__ANALYTICS__BIND: `tcp://127.0.0.1:${a}` };
    // market-data first: it must hold the replay until the notebook, started after it, has subscribed.
    const md = spawn(process.execPath, [join(workspaceRoot(), 'apps/market-data/dist/src/main.js'), 'data/market_data.csv', '--symbols', 'AAPL', '--to', '14:30:05', '--speed', 'max', '--json', '--no-progress', '--http-port', '0', '--wait-for', 'notebook@ticks', '--wait-timeout-ms', '20000'], { cwd: workspaceRoot(), env: { ...process.env, ...P.env, ...sockets }, stdio: ['ignore', 'pipe', 'pipe'] });
    const mdOut: Buffer[] = [];
    md.stdout.on('data', (d: Buffer) => mdOut.push(d));
    const mdExit = new Promise<number | null>((resolve) => md.once('exit', resolve));
    await new Promise((r) => setTimeout(r, 500));
    const code = example('libs/messages/docs/wire-format.md', 'python-wait-for').replace('tcp://127.0.0.1:5555', `tcp://127.0.0.1:${t}`);
    const py = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', timeout: 30_000 });
    expect(py.status, py.stderr).toBe(0);
    expect(py.stdout.trim()).toBe('md.tick.AAPL 1');
    expect(await mdExit).toBe(0);
    expect(JSON.parse(Buffer.concat(mdOut).toString().trim().split('\n').at(-1)!)).toMatchObject({ badRows: 0 });
  });

  it('wire-format.md: the Python option-chain reader prints the AAPL chain from the running platform', () => {
    const code = example('libs/messages/docs/wire-format.md', 'python-chain').replace('tcp://127.0.0.1:5563', `tcp://127.0.0.1:${port(P.cfg.endpoints.analytics.connect)}`);
    const r = spawnSync('/usr/bin/python3', ['-c', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    // underlying, spot, expiry, ATM vol, max pain, the ATM call and its delta.
    expect(r.stdout.trim()).toMatch(/^AAPL 18\d(\.\d+)? 2026-03-06 0\.\d+ \d+(\.\d+)? AAPL260306C\d+(\.5)? 0\.\d+$/);
  });

  /** A data/README.md CSV example replayed by the market-data binary on its own sockets (beside the running platform's): its JSON summary. */
  async function replayExample(name: string): Promise<{ ticks: number; badRows: number }> {
    const file = join(mkdtempSync(join(tmpdir(), 'docs-')), `${name}.csv`);
    writeFileSync(file, example('data/README.md', name));
    const [t, b, a] = await freePorts(3);
    const sockets = { HFT__ENDPOINTS__TICKS__BIND: `tcp://127.0.0.1:${t}`, HFT__ENDPOINTS__BOOKS__BIND: `tcp://127.0.0.1:${b}`, HFT__ENDPOINTS__ANALYTICS__BIND: `tcp://127.0.0.1:${a}` };
    const r = spawnSync(process.execPath, [join(workspaceRoot(), 'apps/market-data/dist/src/main.js'), file, '--speed', 'max', '--json', '--no-progress', '--http-port', '0'], { encoding: 'utf8', env: { ...process.env, ...P.env, ...sockets }, timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim()) as { ticks: number; badRows: number };
  }

  it('data/README.md: the own-format example replays with no bad row, and --json prints one summary line', async () => {
    expect(await replayExample('own-format')).toMatchObject({ ticks: 2, badRows: 0 });
  });

  it('data/README.md: the option-quotes example replays with no bad row, and its [[option_chains]] entry is the shipped chain', async () => {
    // Row 1: bid, ask, open interest; row 2: both sides move (old removed, new set) and a trade; row 3: open interest.
    expect(await replayExample('option-quotes')).toMatchObject({ ticks: 9, badRows: 0 });
    const documented = (parse(example('data/README.md', 'option-chain-toml')) as { option_chains: unknown[] }).option_chains;
    const shipped = (parse(readFileSync(join(workspaceRoot(), 'config', 'platform.toml'), 'utf8')) as { option_chains: unknown[] }).option_chains;
    expect(documented).toEqual(shipped);
  });

  it('data/README.md: the ITCH command replays the sample onto the wire as written, and its [[market_data.files]] entry is a valid config', async () => {
    const [t, b, a] = await freePorts(3);
    const sockets = { HFT__ENDPOINTS__TICKS__BIND: `tcp://127.0.0.1:${t}`, HFT__ENDPOINTS__BOOKS__BIND: `tcp://127.0.0.1:${b}`, HFT__ENDPOINTS__ANALYTICS__BIND: `tcp://127.0.0.1:${a}`, HFT__MARKET_DATA__HTTP_PORT: '0' };
    const r = spawnSync('bash', ['-c', example('data/README.md', 'itch-replay')], { cwd: workspaceRoot(), encoding: 'utf8', env: { ...process.env, ...P.env, ...sockets }, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim()) as { ticks: number; badRows: number; symbols?: unknown };
    expect(summary.badRows).toBe(0);
    expect(summary.ticks).toBeGreaterThan(1000);
    const entry = parse(example('data/README.md', 'itch-files-toml')) as { market_data: { files: unknown[] } };
    const cfgPath = join(mkdtempSync(join(tmpdir(), 'docs-')), 'platform.toml');
    const shipped = readFileSync(join(workspaceRoot(), 'config', 'platform.toml'), 'utf8').replace(/^files = \[[\s\S]*?^\]\n/m, '');
    writeFileSync(cfgPath, `${shipped}\n${example('data/README.md', 'itch-files-toml')}`);
    const check = spawnSync(process.execPath, [join(workspaceRoot(), 'apps/market-data/dist/src/main.js'), '--config', cfgPath, '--speed', 'max', '--json', '--no-progress', '--symbols', 'MSFT'], { encoding: 'utf8', env: { ...process.env, ...P.env, ...sockets }, timeout: 60_000 });
    expect(check.status, check.stderr).toBe(0);
    expect(entry.market_data.files).toHaveLength(1);
    expect((JSON.parse(check.stdout.trim()) as { ticks: number }).ticks).toBeGreaterThan(500);
  });
});
