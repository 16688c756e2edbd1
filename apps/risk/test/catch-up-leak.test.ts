// Root cause of the working-quantity leak seen in the kill -9 fault test, made deterministic: while
// risk was down, one of its orders was partly filled and then canceled. The catch-up read the fill
// back with the order's leaves *now* (0: canceled), which deleted the reservation after releasing
// only the filled part, so the canceled remainder stayed counted as working for ever.
import Fastify from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '@hft/logging';
import type { LedgerTrade } from '@hft/messages';
import { LedgerCatchUp } from '../src/ledger-catch-up.js';
import { riskMetrics } from '../src/risk-metrics.js';
import { order, store } from './store-harness.js';

let h: Awaited<ReturnType<typeof store>>;
beforeEach(async () => (h = await store()));
afterEach(async () => h.drop());

it('a partial fill and a cancel missed while risk was down release the whole reservation', async () => {
  const o = order({ side: 'sell', qty: 100 });
  expect((await h.s.check(o)).ok).toBe(true);

  // What the OMS ledger API answers afterwards: the fill of 44, and the order canceled with 56 left.
  const trade: LedgerTrade = { exec_id: 'X-1', strategy_id: o.strategy, symbol: o.symbol, side: 'sell', price: 100, quantity: 44, fee: 0, ts_event: '1', client_order_id: o.clientOrderId, order_leaves_qty: 0 };
  const api = Fastify();
  api.get('/api/trades', async () => [trade]);
  api.get('/api/orders', async () => [{ strategy_id: o.strategy, symbol: o.symbol, client_order_id: o.clientOrderId, status: 'Canceled' }]);
  const url = await api.listen({ port: 0, host: '127.0.0.1' });
  try {
    const catchUp = new LedgerCatchUp(h.s, url, async () => 'token', riskMetrics(), createLogger({ daemon: 'risk-test', level: 'silent' }));
    await catchUp.run(new Date(0));
  } finally {
    await api.close();
  }
  const pos = (await h.s.positions()).find((p) => p.strategy === o.strategy && p.symbol === o.symbol)!;
  expect({ qty: pos.qty, workingSell: pos.workingSell }).toEqual({ qty: -44, workingSell: 0 });
});
