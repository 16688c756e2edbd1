// market-data -> strategy across real processes and real ZeroMQ sockets: the test plays risk (a
// ROUTER on the orders endpoint) and checks what the market maker sends while AAPL replays.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workspaceRoot } from '@hft/config';
import { decodeMessage, type SubmitOrder } from '@hft/messages';
import { RouterServer } from '@hft/transport';
import { platformEnv, startDaemon, type DaemonProcess } from '@hft/testing';

const running: DaemonProcess[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) await d.stop();
});

describe('market-data -> strategy (real processes)', () => {
  it('the market maker quotes AAPL from the replayed book: post-only limits on the tick grid, with the causing tick time', async () => {
    const p = await platformEnv();
    const orders: SubmitOrder[] = [];
    const peers = new Set<string>();
    const risk = new RouterServer({ stream: 'orders', endpoint: p.endpoint.orders });
    await risk.start((peer, body) => {
      peers.add(peer.toString());
      const m = decodeMessage(body, ['SubmitOrder', 'CancelOrder']);
      if (m.ok && m.value.type === 'SubmitOrder') orders.push(m.value);
    });
    try {
      const strategy = startDaemon('strategy', ['--strategies', 'mm_aapl', '--identity', 'strategy-e2e'], p.env);
      running.push(strategy);
      await strategy.ready(p.http.strategy);
      const md = startDaemon('market-data', [join(workspaceRoot(), 'data', 'market_data.csv'), '--symbols', 'AAPL', '--speed', '20', '--to', '14:30:30', '--wait-for', 'strategy', '--no-progress', '--json'], p.env);
      running.push(md);
      expect(await md.exited).toBe(0);
      const summary = JSON.parse(md.stdout().trim().split('\n').at(-1)!) as { ticks: number };
      expect(summary.ticks).toBeGreaterThan(100);
      const end = Date.now() + 5000;
      while (orders.length < 4 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(orders.length).toBeGreaterThanOrEqual(4);
      expect([...peers]).toEqual(['strategy-e2e']);
      for (const o of orders) {
        expect(o).toMatchObject({ strategyId: 'mm_aapl', symbol: 'AAPL', orderType: 'limit', timeInForce: 'gtc', postOnly: true, quantity: 100 });
        expect(Math.round(o.price! * 100)).toBeCloseTo(o.price! * 100, 6);
        expect(typeof o.tsTick).toBe('bigint');
      }
      expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(orders.length);
      const firstBid = orders.find((o) => o.side === 'buy')!;
      const firstAsk = orders.find((o) => o.side === 'sell')!;
      expect(firstBid.price!).toBeLessThan(firstAsk.price!);
      // Its metrics say the same.
      const metrics = await (await fetch(`http://127.0.0.1:${p.http.strategy}/metrics`)).text();
      expect(metrics).toMatch(/hft_strategy_orders_total\{strategy="mm_aapl",action="submit",daemon="strategy"\} [1-9]/);
    } finally {
      await risk.close();
    }
  });
});
