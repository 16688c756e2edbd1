import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { ORDER_EVENTS_PREFIX, topics, type OrderEvent, type StrategyState } from '@hft/messages';
import { counter, gauge } from '@hft/metrics';
import { StreamLink } from '@hft/transport';
import { OmsReader, type OrderStreamSource } from './oms-reader.js';

export interface OrderEventFeedOptions {
  /** The OMS's order_events PUB endpoint. */
  endpoint: string;
  /** The strategies to follow, or every one the OMS publishes. */
  strategies: readonly string[] | 'all';
  source: OrderStreamSource;
  log: Logger;
  /** Apply one event. Called per strategy in sequence order, each sequence number exactly once. */
  onEvent(e: OrderEvent): void;
  /**
   * Where to start a strategy this feed has no cursor for (first seen in `all` mode), or whose stream
   * is behind the cursor (the ledger was reset): load what you need, return the sequence it covers.
   * Default: with `adopt`, the strategy's state from the source; without, 0 (the whole stream).
   */
  startOf?(strategyId: string, head: number): Promise<number>;
  /** Take over a strategy's state (positions, open orders) at a stream sequence, before following it. */
  adopt?(state: StrategyState): void;
  pageSize?: number;
  /** Events of one strategy held while a catch-up runs; beyond it they are dropped and read back later. */
  maxPending?: number;
}

function feedMetrics() {
  return {
    readBack: counter({ name: 'hft_order_stream_read_back_total', help: 'Order events read back from the OMS ledger by sequence (missed on the stream)' }),
    catchUps: counter({ name: 'hft_order_stream_catch_ups_total', help: 'Catch-ups by sequence, by why they started', labelNames: ['why'] }),
    failures: counter({ name: 'hft_order_stream_read_failures_total', help: 'Failed reads of the order-event ledger (retried)' }),
    handlerErrors: counter({ name: 'hft_order_stream_handler_errors_total', help: 'Order events whose handler threw (the event counts as applied)' }),
    behind: gauge({ name: 'hft_order_stream_behind', help: 'Strategies whose order-event stream is being caught up or cannot be read' }),
  };
}

/**
 * Follows the OMS's sequenced order-event stream. Live events are applied when they are next in
 * sequence; a gap (a lost message, a restart, a late subscription, a head announced beyond what was
 * seen) starts a catch-up that reads the missing events back from the ledger by sequence, then the
 * held live ones. Every consumer sees every event of its strategies once, in order.
 */
export class OrderEventFeed {
  private readonly link: StreamLink<'order_events'>;
  private readonly cursors = new Map<string, number>();
  private readonly heads = new Map<string, number>();
  private readonly pending = new Map<string, Map<number, OrderEvent>>();
  private readonly catching = new Map<string, Promise<void>>();
  private readonly failing = new Map<string, string>();
  private readonly follows: (s: string) => boolean;
  private readonly m = feedMetrics();
  private closed = false;
  private lastLog = 0;

  private readonly startOf: (strategyId: string, head: number) => Promise<number>;

  constructor(private readonly o: OrderEventFeedOptions) {
    const adopt = o.adopt;
    this.startOf =
      o.startOf ??
      (adopt
        ? async (s) => {
            const [state] = await o.source.state(s);
            if (state) adopt(state);
            return state?.seq ?? 0;
          }
        : async () => 0);
    const only = o.strategies === 'all' ? null : new Set(o.strategies);
    this.follows = (s) => only === null || only.has(s);
    const subscribed = only === null ? [ORDER_EVENTS_PREFIX, topics.orderHeads] : [...only].map(topics.orderEvents).concat(topics.orderHeads);
    this.link = new StreamLink('order_events', { endpoint: o.endpoint, topics: subscribed, log: o.log });
  }

  /**
   * Follow from `cursors` (the last sequence already applied per strategy) and catch each one up to its
   * head. Resolves once every strategy with a cursor is caught up (a strategy that cannot be read yet
   * keeps retrying in the background).
   */
  async start(cursors: ReadonlyMap<string, number>): Promise<void> {
    for (const [s, c] of cursors) this.cursors.set(s, c);
    if (this.o.strategies !== 'all') for (const s of this.o.strategies) if (!this.cursors.has(s)) this.cursors.set(s, 0);
    this.link.start((msg) => {
      if (msg.type === 'OrderStreamHeads') {
        for (const [s, h] of Object.entries(msg.heads)) if (this.follows(s)) this.headSeen(s, h, 'heads');
        return;
      }
      // Conditional-order events have their own topic and sequence (not subscribed here).
      if ('conditionalId' in msg) return;
      if (this.follows(msg.strategyId)) this.offer(msg);
    });
    await Promise.all([...this.cursors.keys()].map((s) => this.catchUp(s, 'start')));
  }

  /** Last sequence applied for a strategy. */
  cursor(strategyId: string): number | undefined {
    return this.cursors.get(strategyId);
  }

  allCursors(): ReadonlyMap<string, number> {
    return this.cursors;
  }

  /** Strategies being caught up, and why a read back fails (for /health). */
  behind(): { strategy: string; detail: string }[] {
    return [...new Set([...this.catching.keys(), ...this.failing.keys()])].map((s) => ({ strategy: s, detail: this.failing.get(s) ?? `catching up from ${this.cursors.get(s) ?? 0}` }));
  }

  /** Resolves when no catch-up is running (tests, orderly shutdown). */
  async idle(): Promise<void> {
    while (this.catching.size) await Promise.all(this.catching.values());
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.link.close();
  }

  private headSeen(s: string, head: number, why: string): void {
    if (head > (this.heads.get(s) ?? 0)) this.heads.set(s, head);
    const c = this.cursors.get(s);
    if ((c === undefined || head > c) && !this.catching.has(s)) void this.catchUp(s, why);
  }

  private offer(e: OrderEvent): void {
    const s = e.strategyId;
    const seq = e.seq ?? 0;
    const c = this.cursors.get(s);
    if (c !== undefined && seq <= c) return;
    if (c !== undefined && seq === c + 1 && !this.catching.has(s)) {
      this.deliver(e);
      return;
    }
    let held = this.pending.get(s);
    if (!held) this.pending.set(s, (held = new Map()));
    if (held.size < (this.o.maxPending ?? 100_000)) held.set(seq, e);
    this.headSeen(s, seq, c === undefined ? 'new_strategy' : 'gap');
  }

  private deliver(e: OrderEvent): void {
    this.cursors.set(e.strategyId, e.seq!);
    try {
      this.o.onEvent(e);
    } catch (err) {
      this.m.handlerErrors.inc();
      this.o.log.error({ err, type: e.type, strategy: e.strategyId, seq: e.seq }, 'order event handler threw');
    }
  }

  /** Apply held live events that are next in sequence; forget the ones already applied. */
  private drainHeld(s: string): void {
    const held = this.pending.get(s);
    if (!held) return;
    for (;;) {
      const next = held.get((this.cursors.get(s) ?? 0) + 1);
      if (!next) break;
      held.delete(next.seq!);
      this.deliver(next);
    }
    const c = this.cursors.get(s) ?? 0;
    for (const k of held.keys()) if (k <= c) held.delete(k);
    if (!held.size) this.pending.delete(s);
  }

  private catchUp(s: string, why: string): Promise<void> {
    const running = this.catching.get(s);
    if (running) return running;
    this.m.catchUps.inc({ why });
    const p = this.run(s).finally(() => {
      this.catching.delete(s);
      this.m.behind.set(this.catching.size + this.failing.size);
    });
    this.catching.set(s, p);
    this.m.behind.set(this.catching.size + this.failing.size);
    return p;
  }

  private async run(s: string): Promise<void> {
    let delay = 100;
    while (!this.closed) {
      this.drainHeld(s);
      try {
        let c = this.cursors.get(s);
        if (c === undefined) {
          c = await this.startOf(s, this.heads.get(s) ?? 0);
          this.cursors.set(s, c);
          this.drainHeld(s);
          c = this.cursors.get(s)!;
        }
        const page = await this.o.source.events(s, c, this.o.pageSize ?? 2000);
        if (page.head < c) {
          // The ledger holds less than we applied: it was reset under us.
          this.o.log.error({ strategy: s, cursor: c, head: page.head }, 'order-event stream is behind what this consumer applied (ledger reset?): starting over');
          this.cursors.set(s, await this.startOf(s, page.head));
          this.heads.set(s, page.head);
          continue;
        }
        if (page.head > (this.heads.get(s) ?? 0)) this.heads.set(s, page.head);
        for (const e of page.events) {
          if (e.seq !== (this.cursors.get(s) ?? 0) + 1) continue;
          this.m.readBack.inc();
          this.deliver(e);
        }
        this.failing.delete(s);
        this.drainHeld(s);
        const at = this.cursors.get(s) ?? 0;
        const held = this.pending.get(s);
        const wanted = Math.max(this.heads.get(s) ?? 0, held ? Math.max(...held.keys()) : 0);
        if (at >= wanted) return;
        if (page.events.length === 0) await sleep(delay);
        delay = 100;
      } catch (err) {
        this.m.failures.inc();
        this.failing.set(s, `cannot read the order-event ledger: ${(err as Error).message}`);
        if (Date.now() - this.lastLog > 5000) {
          this.lastLog = Date.now();
          this.o.log.warn({ strategy: s, err: (err as Error).message }, 'cannot read missed order events back yet; retrying');
        }
        await sleep(delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }
}

/**
 * The OMS's order-event stream with the OMS's API behind it (read with `token`): what a consumer
 * daemon follows. `adopt`, when given, takes each strategy's state from the OMS the first time.
 */
export function followOrderEvents(o: Omit<OrderEventFeedOptions, 'source'> & { omsUrl: string; token: () => Promise<string | null> }): { feed: OrderEventFeed; reader: OmsReader } {
  const reader = new OmsReader(o.omsUrl, o.token);
  return { feed: new OrderEventFeed({ ...o, source: reader }), reader };
}
