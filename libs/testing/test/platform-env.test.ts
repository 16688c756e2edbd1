import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePorts, platformEnv } from '../src/index.js';

describe('platformEnv', () => {
  it('gives every endpoint and daemon its own free loopback port, as HFT__ overrides', async () => {
    const p = await platformEnv({ EXTRA: '1' });
    const ports = [...Object.values(p.endpoint).map((e) => Number(e.split(':').pop())), ...Object.values(p.http)];
    expect(new Set(ports).size).toBe(ports.length);
    expect(p.env['HFT__ENDPOINTS__ORDER_EVENTS__BIND']).toBe(p.endpoint.order_events);
    expect(p.env['HFT__OMS__JOURNAL_DIR']).toMatch(/oms-journal-/);
    expect(p.env['HFT__MARKET_DATA__HTTP_PORT']).toBe(String(p.http.market_data));
    expect(p.env['EXTRA']).toBe('1');
  });

  it('hands out ports that can be bound', async () => {
    const [port] = await freePorts(1);
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
  });
});
