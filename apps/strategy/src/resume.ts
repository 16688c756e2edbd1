import type { Logger } from '@hft/logging';
import type { OmsReader, OrderEventFeed } from '@hft/order-stream';
import type { StrategyHost } from '@hft/strategies';

type Health = { status: 'ok' | 'degraded'; detail?: string };

/**
 * A strategy that restarts must not believe it is flat: each one takes its positions and open orders
 * from the OMS (state at a stream sequence), then follows the order-event stream from there. Without
 * the OMS after `attempts` tries it starts flat and says so on /health (the feed keeps trying).
 */
export async function resume(host: StrategyHost, ids: readonly string[], reader: OmsReader, feed: OrderEventFeed, log: Logger, attempts = 15): Promise<Health> {
  for (let attempt = 1; ; attempt++) {
    try {
      let orders = 0;
      for (const state of await reader.state()) {
        if (!ids.includes(state.strategyId)) continue;
        host.restore(state);
        orders += state.openOrders.length;
      }
      await feed.start(host.cursors());
      if (orders) log.warn({ orders, cursors: Object.fromEntries(host.cursors()) }, 'resumed positions and working orders of a previous run (from the OMS)');
      return { status: 'ok' };
    } catch (e) {
      if (attempt >= attempts) {
        const detail = `started without the previous run's positions and orders: ${(e as Error).message}`;
        log.error({ err: (e as Error).message }, detail);
        void feed.start(host.cursors()).catch(() => {});
        return { status: 'degraded', detail };
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
