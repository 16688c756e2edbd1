import { Redis } from 'ioredis';
import type { RiskLimits } from '@hft/config';
import type { KillSwitchScope, RiskPosition } from '@hft/messages';
import { CHECK_SCRIPT, DONE_SCRIPT, FILL_SCRIPT } from './risk-scripts.js';

export const LIMIT_KEYS = ['max_order_qty', 'max_notional', 'price_band_bps', 'max_position', 'daily_loss_limit', 'max_orders_per_sec'] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];
export type LimitScope = 'default' | 'symbol' | 'strategy';

export interface CheckRequest {
  mode: 'submit' | 'check';
  strategy: string;
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: number;
  price: number | null;
  reference: number | null;
}

export interface CheckResult {
  ok: boolean;
  check?: string;
  reason?: string;
  values: Record<string, number | string | boolean | null>;
}

export interface KillSwitchState {
  scope: KillSwitchScope;
  target: string | null;
  engaged: boolean;
  reason: string;
  actor: string;
  ts: string;
}

type ScriptCommands = {
  riskCheck(...args: (string | number)[]): Promise<string>;
  riskFill(...args: (string | number)[]): Promise<number>;
  riskDone(...args: (string | number)[]): Promise<string>;
};

/** UTC trading day, the key of the daily loss limit. */
export function tradingDay(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Everything risk keeps in Redis: limits, kill-switch, positions, working quantity, daily PnL, rate
 * windows, duplicate ids, audit trail. The offline queue is off: when Redis is down every call fails
 * at once (and risk denies) instead of queueing orders behind a dead connection.
 */
export interface HeldOrder {
  strategy: string;
  symbol: string;
  clientOrderId: string;
  approvedAt: number;
}

export class RiskStore {
  readonly redis: Redis & ScriptCommands;
  private readonly p: string;
  up = false;
  lastError = '';

  constructor(
    url: string,
    prefix: string,
    private readonly opts: { duplicateWindowS: number; orderTtlS?: number; execTtlS?: number; connectTimeoutMs?: number },
  ) {
    this.p = prefix;
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: opts.connectTimeoutMs ?? 2000,
      lazyConnect: true,
      // Checks and fills issued in the same tick share one write (one syscall) to Redis.
      enableAutoPipelining: true,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    }) as Redis & ScriptCommands;
    this.redis.defineCommand('riskCheck', { numberOfKeys: 13, lua: CHECK_SCRIPT });
    this.redis.defineCommand('riskFill', { numberOfKeys: 5, lua: FILL_SCRIPT });
    this.redis.defineCommand('riskDone', { numberOfKeys: 2, lua: DONE_SCRIPT });
    this.redis.on('ready', () => {
      this.up = true;
      this.lastError = '';
    });
    this.redis.on('error', (e: Error) => {
      this.lastError = e.message;
    });
    this.redis.on('close', () => {
      this.up = false;
    });
  }

  async connect(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (e) {
      // ioredis keeps retrying in the background; risk starts failed-closed and recovers by itself.
      this.lastError = (e as Error).message;
    }
  }

  key(...parts: string[]): string {
    return this.p + parts.join(':');
  }

  /** Keys matching a pattern, with SCAN (never KEYS: it blocks Redis on a large keyspace). */
  async scan(pattern: string): Promise<string[]> {
    const out: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      out.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    return [...new Set(out)];
  }

  async check(r: CheckRequest): Promise<CheckResult> {
    const day = tradingDay();
    const sec = Math.floor(Date.now() / 1000);
    const k = this.key.bind(this);
    const raw = await this.redis.riskCheck(
      k('limits', 'default'),
      k('limits', 'symbol', r.symbol),
      k('limits', 'strategy', r.strategy),
      k('ks', 'global'),
      k('ks', 'strategy', r.strategy),
      k('ks', 'symbol', r.symbol),
      k('restricted'),
      k('dup', r.strategy, r.clientOrderId),
      k('pos', r.strategy, r.symbol),
      k('working', r.strategy, r.symbol),
      k('pnl', r.strategy, day),
      k('rate', r.strategy, String(sec)),
      k('order', r.strategy, r.clientOrderId),
      r.mode,
      r.strategy,
      r.symbol,
      r.side,
      r.qty,
      r.price ?? '',
      r.reference ?? '',
      this.opts.duplicateWindowS,
      this.opts.orderTtlS ?? 7 * 86_400,
      Date.now(),
    );
    const parsed = JSON.parse(raw) as CheckResult;
    // cjson turns an empty table into {} and keeps numbers as numbers.
    parsed.values ??= {};
    return parsed;
  }

  /** Apply a fill; false when this execId was applied before. */
  async fill(f: { strategy: string; symbol: string; clientOrderId: string; execId: string; side: 'buy' | 'sell'; px: number; qty: number; fee: number; leaves: number }): Promise<boolean> {
    const r = await this.redis.riskFill(
      this.key('exec', f.execId),
      this.key('pos', f.strategy, f.symbol),
      this.key('working', f.strategy, f.symbol),
      this.key('pnl', f.strategy, tradingDay()),
      this.key('order', f.strategy, f.clientOrderId),
      f.side,
      f.px,
      f.qty,
      f.fee,
      f.leaves,
      this.opts.execTtlS ?? 7 * 86_400,
    );
    return r === 1;
  }

  /** Orders holding working quantity, with when they were approved (0 when not recorded). */
  async heldOrders(): Promise<HeldOrder[]> {
    const prefix = this.key('order', '');
    const out: HeldOrder[] = [];
    for (const key of await this.scan(`${prefix}*`)) {
      const h = await this.redis.hgetall(key);
      const strategy = h['strategy'];
      if (!strategy || !h['symbol']) continue;
      out.push({ strategy, symbol: h['symbol'], clientOrderId: key.slice(prefix.length + strategy.length + 1), approvedAt: Number(h['ts'] ?? 0) });
    }
    return out;
  }

  /** Release the working quantity of an order that is over; returns how much was released. */
  async done(strategy: string, symbol: string, clientOrderId: string): Promise<number> {
    return Number(await this.redis.riskDone(this.key('order', strategy, clientOrderId), this.key('working', strategy, symbol)));
  }

  // ---- limits

  /** Seed limits from config unless Redis already holds live ones (or `force`). Returns true if seeded. */
  async seedLimits(cfg: { default_limits: RiskLimits; symbol_limits: Record<string, Partial<RiskLimits>>; strategy_limits: Record<string, Partial<RiskLimits>>; restricted_symbols: string[] }, force = false): Promise<boolean> {
    const marker = this.key('limits', 'seeded');
    if (!force && (await this.redis.exists(marker))) return false;
    const m = this.redis.multi();
    for (const k of await this.scan(this.key('limits', '*'))) m.del(k);
    m.hset(this.key('limits', 'default'), cfg.default_limits as Record<string, number>);
    for (const [s, l] of Object.entries(cfg.symbol_limits)) if (Object.keys(l).length) m.hset(this.key('limits', 'symbol', s), l as Record<string, number>);
    for (const [s, l] of Object.entries(cfg.strategy_limits)) if (Object.keys(l).length) m.hset(this.key('limits', 'strategy', s), l as Record<string, number>);
    m.del(this.key('restricted'));
    if (cfg.restricted_symbols.length) m.sadd(this.key('restricted'), ...cfg.restricted_symbols);
    m.set(marker, new Date().toISOString());
    await m.exec();
    return true;
  }

  async limits(): Promise<{ default: Record<string, number>; symbols: Record<string, Record<string, number>>; strategies: Record<string, Record<string, number>>; restricted: string[] }> {
    const toNums = (h: Record<string, string>): Record<string, number> => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
    const out = { default: toNums(await this.redis.hgetall(this.key('limits', 'default'))), symbols: {} as Record<string, Record<string, number>>, strategies: {} as Record<string, Record<string, number>>, restricted: (await this.redis.smembers(this.key('restricted'))).sort() };
    for (const [scope, into] of [
      ['symbol', out.symbols],
      ['strategy', out.strategies],
    ] as const) {
      const prefix = this.key('limits', scope, '');
      for (const k of await this.scan(`${prefix}*`)) into[k.slice(prefix.length)] = toNums(await this.redis.hgetall(k));
    }
    return out;
  }

  /** Set (number) or remove (null) limit keys of one scope. */
  async setLimits(scope: LimitScope, target: string | null, limits: Partial<Record<LimitKey, number | null>>): Promise<void> {
    const key = scope === 'default' ? this.key('limits', 'default') : this.key('limits', scope, target!);
    const m = this.redis.multi();
    for (const [k, v] of Object.entries(limits)) {
      if (v === null) m.hdel(key, k);
      else m.hset(key, k, v);
    }
    await m.exec();
  }

  async setRestricted(symbols: string[]): Promise<void> {
    const m = this.redis.multi().del(this.key('restricted'));
    if (symbols.length) m.sadd(this.key('restricted'), ...symbols);
    await m.exec();
  }

  // ---- kill-switch and audit

  private ksKey(scope: KillSwitchScope, target: string | null): string {
    return scope === 'global' ? this.key('ks', 'global') : this.key('ks', scope, target!);
  }

  async setKillSwitch(s: KillSwitchState): Promise<void> {
    await this.redis
      .multi()
      .hset(this.ksKey(s.scope, s.target), { engaged: s.engaged ? '1' : '0', scope: s.scope, target: s.target ?? '', reason: s.reason, actor: s.actor, ts: s.ts })
      .xadd(this.key('audit'), 'MAXLEN', '~', '100000', '*', 'kind', 'kill_switch', 'scope', s.scope, 'target', s.target ?? '', 'engaged', s.engaged ? '1' : '0', 'reason', s.reason, 'actor', s.actor, 'ts', s.ts)
      .exec();
  }

  async killSwitches(): Promise<KillSwitchState[]> {
    const keys = [this.key('ks', 'global'), ...(await this.scan(this.key('ks', 'strategy', '*'))), ...(await this.scan(this.key('ks', 'symbol', '*')))];
    const out: KillSwitchState[] = [];
    for (const k of keys) {
      const h = await this.redis.hgetall(k);
      if (!h['scope']) continue;
      out.push({ scope: h['scope'] as KillSwitchScope, target: h['target'] || null, engaged: h['engaged'] === '1', reason: h['reason'] ?? '', actor: h['actor'] ?? '', ts: h['ts'] ?? '' });
    }
    return out;
  }

  async audit(kind: string, fields: Record<string, string>): Promise<void> {
    await this.redis.xadd(this.key('audit'), 'MAXLEN', '~', '100000', '*', 'kind', kind, ...Object.entries(fields).flat());
  }

  /** Newest first; kill-switch entries typed like the API that changed them (engaged, target). */
  async auditTrail(count = 100): Promise<Record<string, string | boolean | null>[]> {
    const rows = await this.redis.xrevrange(this.key('audit'), '+', '-', 'COUNT', count);
    return rows.map(([id, f]) => {
      const o: Record<string, string | boolean | null> = { id };
      for (let i = 0; i < f.length; i += 2) o[f[i]!] = f[i + 1]!;
      if (o['kind'] === 'kill_switch') Object.assign(o, { engaged: o['engaged'] === '1', target: o['target'] || null });
      return o;
    });
  }

  // ---- positions, PnL, marks

  async positions(): Promise<RiskPosition[]> {
    const prefix = this.key('pos', '');
    const out: RiskPosition[] = [];
    for (const k of await this.scan(`${prefix}*`)) {
      const [strategy, symbol] = k.slice(prefix.length).split(':') as [string, string];
      const h = await this.redis.hgetall(k);
      const w = await this.redis.hgetall(this.key('working', strategy, symbol));
      out.push({ strategy, symbol, qty: Number(h['qty'] ?? 0), avgPx: Number(h['avg'] ?? 0), realized: Number(h['realized'] ?? 0), fees: Number(h['fees'] ?? 0), workingBuy: Number(w['buy'] ?? 0), workingSell: Number(w['sell'] ?? 0) });
    }
    return out.sort((a, b) => (a.strategy + a.symbol).localeCompare(b.strategy + b.symbol));
  }

  async pnlToday(strategy: string): Promise<number> {
    return Number((await this.redis.get(this.key('pnl', strategy, tradingDay()))) ?? 0);
  }

  async saveMarks(marks: Map<string, number>): Promise<void> {
    if (marks.size) await this.redis.hset(this.key('marks'), Object.fromEntries(marks));
  }

  /** Wall time (ms) this risk instance was last known alive; the catch-up after a restart starts there. */
  async heartbeat(ms: number): Promise<void> {
    await this.redis.set(this.key('alive'), String(ms));
  }

  async lastHeartbeat(): Promise<number | null> {
    const v = await this.redis.get(this.key('alive'));
    return v === null ? null : Number(v);
  }

  async loadMarks(): Promise<Map<string, number>> {
    return new Map(Object.entries(await this.redis.hgetall(this.key('marks'))).map(([k, v]) => [k, Number(v)]));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
