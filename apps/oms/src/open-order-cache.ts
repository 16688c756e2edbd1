import { Redis } from 'ioredis';
import type { OrderRecord } from './order-state.js';
import { isTerminal } from './order-state.js';

/**
 * Open orders mirrored in Redis (one hash, field = orderId, value = JSON) so monitoring reads them
 * without touching Postgres. Best effort: writes are coalesced and flushed every 50 ms; a failure is
 * counted and the next full resync repairs it.
 */
export class OpenOrderCache {
  readonly redis: Redis;
  private readonly key: string;
  private dirty = new Map<number, OrderRecord>();
  private readonly timer: NodeJS.Timeout;
  errors = 0;

  constructor(url: string, prefix: string) {
    this.redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: (n) => Math.min(n * 200, 2000) });
    this.redis.on('error', () => {});
    this.key = `${prefix}open_orders`;
    this.timer = setInterval(() => void this.flush(), 50);
    this.timer.unref();
  }

  async connect(): Promise<void> {
    await this.redis.connect().catch(() => {});
  }

  update(o: OrderRecord): void {
    this.dirty.set(o.orderId, o);
  }

  async resync(all: OrderRecord[]): Promise<void> {
    try {
      const m = this.redis.multi().del(this.key);
      if (all.length) m.hset(this.key, Object.fromEntries(all.map((o) => [String(o.orderId), serialize(o)])));
      await m.exec();
    } catch {
      this.errors++;
    }
  }

  private async flush(): Promise<void> {
    if (this.dirty.size === 0 || this.redis.status !== 'ready') return;
    const batch = this.dirty;
    this.dirty = new Map();
    const m = this.redis.multi();
    for (const o of batch.values()) {
      if (isTerminal(o.status)) m.hdel(this.key, String(o.orderId));
      else m.hset(this.key, String(o.orderId), serialize(o));
    }
    try {
      await m.exec();
    } catch {
      this.errors++;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.redis.disconnect();
  }
}

function serialize(o: OrderRecord): string {
  const { forwarded: _f, cancelWanted: _c, ...rest } = o;
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
