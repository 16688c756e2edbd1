import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, moduleLogger } from '../src/index.js';

describe('logging', () => {
  it('writes JSON lines stamped with daemon and module', async () => {
    const out = new PassThrough();
    const lines: string[] = [];
    out.on('data', (b: Buffer) => lines.push(...b.toString().trim().split('\n')));
    const root = createLogger({ daemon: 'risk', level: 'debug', destination: out });
    moduleLogger(root, 'checks', { symbol: 'AAPL' }).warn({ check: 'max_qty' }, 'order denied');
    root.debug('hello');
    await new Promise((r) => setImmediate(r));
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'warn', daemon: 'risk', module: 'checks', symbol: 'AAPL', check: 'max_qty', msg: 'order denied' });
    expect(typeof first['time']).toBe('string');
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'debug', msg: 'hello' });
  });

  it('honours the level', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    createLogger({ daemon: 'oms', level: 'error', destination: out }).info('dropped');
    await new Promise((r) => setImmediate(r));
    expect(chunks).toHaveLength(0);
  });
});
