import { Redis, type ChainableCommander } from 'ioredis';
import type { KillSwitchScope, Side } from '@hft/messages';
import { fromUnits, toUnits } from '@hft/orders';
import { LIMIT_KEYS, tradingDay, type ChangeSink, type KillSwitchState, type LimitScope, type RiskEngine, type StateKind } from './risk-engine.js';

export interface PersistenceOptions {
  /** Fail closed when the oldest change not yet in Redis is older than this. */
  maxLagMs: number;
  /** ...or when more changes than this wait. */
  maxPending: number;
  /** Gather changes this long before a write (0: next event-loop turn): fewer round trips per order. */
  coalesceMs?: number;
  connectTimeoutMs?: number;
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === '' ? undefined : Number(v));

/**
 * Where risk's state lives between processes: every change the engine makes is written to Redis
 * behind the decision, in order, one MULTI per `coalesceMs` (the latest value of each key that
 * changed, so a burst costs one round trip). Redis holds a consistent state with each strategy's
 * order-stream cursor, which is what a restart loads. Risk fails closed (`healthy()` false) while Redis
 * is unreachable or persistence lags past the bounds.
 */
export class RiskPersistence implements ChangeSink {
  readonly redis: Redis;
  private engine: RiskEngine | null = null;
  private readonly dirty = new Map<string, [StateKind, string, string]>();
  private audits: Record<string, string>[] = [];
  private dirtySince = 0;
  /** When the oldest change not yet in Redis was made (0: everything is persisted). */
  private unpersistedSince = 0;
  private inFlight = 0;
  private flushing = false;
  private scheduled: NodeJS.Timeout | NodeJS.Immediate | null = null;
  private timer = false;
  private changes = 0;
  private persisted = 0;
  private waiters: { upTo: number; resolve: () => void }[] = [];
  private marks: (() => Map<string, number>) | null = null;
  lastError = '';
  up = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly o: PersistenceOptions,
  ) {
    this.redis = new Redis(url, {
      // Fail at once when Redis is away (risk denies) instead of queueing writes behind a dead connection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: o.connectTimeoutMs ?? 2000,
      lazyConnect: true,
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    let connected = false;
    this.redis.on('ready', () => {
      this.up = true;
      this.lastError = '';
      // Back after an outage: Redis may have lost what it had not synced, so write everything again.
      if (connected) void this.resync();
      connected = true;
      this.schedule();
    });
    this.redis.on('error', (e: Error) => (this.lastError = e.message));
    this.redis.on('close', () => (this.up = false));
  }

  bind(engine: RiskEngine, marks: () => Map<string, number>): void {
    this.engine = engine;
    this.marks = marks;
  }

  async connect(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (e) {
      // ioredis keeps retrying in the background; risk stays failed-closed until Redis answers.
      this.lastError = (e as Error).message;
    }
  }

  key(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  // ---- ChangeSink

  private touch(): void {
    const now = Date.now();
    if (this.dirty.size === 0 && this.audits.length === 0) this.dirtySince = now;
    if (this.unpersistedSince === 0) this.unpersistedSince = now;
  }

  changed(kind: StateKind, a: string, b: string): void {
    this.touch();
    this.dirty.set(`${kind}\u0000${a}\u0000${b}`, [kind, a, b]);
    this.changes++;
    this.schedule();
  }

  audit(fields: Record<string, string>): void {
    this.touch();
    if (this.audits.length < 100_000) this.audits.push(fields);
    this.changes++;
    this.schedule();
  }

  /** Changes waiting, and how long the oldest has waited (ms). */
  lag(): { pending: number; ms: number } {
    return { pending: this.dirty.size + this.audits.length + this.inFlight, ms: this.unpersistedSince ? Date.now() - this.unpersistedSince : 0 };
  }

  /** Whether risk may decide: Redis reachable and persistence within its bounds; otherwise why not. */
  health(): { ok: true } | { ok: false; why: string } {
    if (!this.up) return { ok: false, why: `risk state store (Redis) unreachable: ${this.lastError || 'connecting'}` };
    const l = this.lag();
    if (l.ms > this.o.maxLagMs) return { ok: false, why: `risk state persistence lags ${l.ms} ms behind (bound ${this.o.maxLagMs} ms)` };
    if (l.pending > this.o.maxPending) return { ok: false, why: `${l.pending} risk state changes wait for Redis (bound ${this.o.maxPending})` };
    return { ok: true };
  }

  /** Resolves once every change made before the call is in Redis (the kill-switch answers after it). */
  flushed(timeoutMs = 2000): Promise<void> {
    const upTo = this.changes;
    if (this.persisted >= upTo) return Promise.resolve();
    this.schedule(true);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`not persisted in Redis within ${timeoutMs} ms: ${this.lastError || 'Redis slow'}`)), timeoutMs);
      this.waiters.push({ upTo, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  /** Marks are persisted every second (they change with every tick). */
  marksChanged(): void {
    this.changed('marks', '', '');
  }

  private schedule(now = false): void {
    if (this.flushing || !this.up) return;
    if (this.scheduled) {
      // Already due at the next turn, or a waiter (the kill-switch) must not sit out the coalescing delay.
      if (!now || !this.timer) return;
      clearTimeout(this.scheduled as NodeJS.Timeout);
    }
    const run = (): void => {
      this.scheduled = null;
      void this.flush();
    };
    this.timer = !now && !!this.o.coalesceMs;
    this.scheduled = this.timer ? setTimeout(run, this.o.coalesceMs) : setImmediate(run);
  }

  private async flush(): Promise<void> {
    if (this.flushing || !this.engine || (!this.dirty.size && !this.audits.length)) return;
    this.flushing = true;
    const keys = [...this.dirty.values()];
    const audits = this.audits;
    const upTo = this.changes;
    this.dirty.clear();
    this.audits = [];
    this.inFlight = keys.length + audits.length;
    const m = this.redis.multi();
    for (const [kind, a, b] of keys) this.write(m, kind, a, b);
    for (const f of audits) m.xadd(this.key('audit'), 'MAXLEN', '~', '100000', '*', ...Object.entries(f).flat());
    try {
      const res = await m.exec();
      const failed = res?.find(([err]) => err);
      if (!res || failed) throw failed?.[0] ?? new Error('MULTI aborted');
      this.persisted = upTo;
      this.unpersistedSince = this.dirty.size || this.audits.length ? this.dirtySince : 0;
      for (const w of this.waiters.splice(0)) if (w.upTo <= upTo) w.resolve();
      else this.waiters.push(w);
    } catch (e) {
      this.lastError = (e as Error).message;
      // Put them back: their current values are written on the next pass (a value, not a delta, so a repeat is harmless).
      for (const kab of keys) this.dirty.set(kab.join('\u0000'), kab);
      this.audits = audits.concat(this.audits);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      this.inFlight = 0;
      this.flushing = false;
    }
    if (this.dirty.size || this.audits.length) this.schedule(this.waiters.length > 0);
  }

  private write(m: ChainableCommander, kind: StateKind, a: string, b: string): void {
    const e = this.engine!;
    const scale = (symbol: string): number => e.instruments.find(symbol)?.qtyScale ?? 1;
    switch (kind) {
      case 'limits': {
        const scope = a as LimitScope;
        const key = scope === 'default' ? this.key('limits', 'default') : this.key('limits', scope, b);
        const l = e.limitsOf(scope, b || null) ?? {};
        m.del(key);
        if (Object.keys(l).length) m.hset(key, l as Record<string, number>);
        if (scope === 'default') m.set(this.key('limits', 'seeded'), new Date().toISOString());
        return;
      }
      case 'restricted':
        m.del(this.key('restricted'));
        if (e.restricted.size) m.sadd(this.key('restricted'), ...e.restricted);
        return;
      case 'ks': {
        const s = e.killSwitch(a as KillSwitchScope, b || null);
        if (s) m.hset(a === 'global' ? this.key('ks', 'global') : this.key('ks', a, b), { engaged: s.engaged ? '1' : '0', scope: s.scope, target: s.target ?? '', reason: s.reason, actor: s.actor, ts: s.ts });
        return;
      }
      case 'pos': {
        const p = e.positions.find(a, b);
        if (p) m.hset(this.key('pos', a, b), { strategy: a, symbol: b, qty: p.qty, avg: p.avgPx, realized: p.realized, fees: p.fees });
        return;
      }
      case 'working': {
        const w = e.workingOf(a, b);
        m.hset(this.key('working', a, b), { strategy: a, symbol: b, buy: fromUnits(w.buy, scale(b)), sell: fromUnits(w.sell, scale(b)) });
        return;
      }
      case 'order': {
        const r = e.reservation(a, b);
        if (!r) m.del(this.key('order', a, b));
        else m.hset(this.key('order', a, b), { strategy: a, clientOrderId: b, symbol: r.symbol, side: r.side, leaves: fromUnits(r.leaves, scale(r.symbol)), submitted: r.submitted ? '1' : '0', ts: r.approvedAt });
        return;
      }
      case 'cursor':
        m.hset(this.key('cursors'), a, e.cursors.get(a) ?? 0);
        return;
      case 'pnl':
        m.set(this.key('pnl', a, b), String(e.pnl.get(a)?.day === b ? e.pnl.get(a)!.value : 0), 'EX', 172_800);
        return;
      case 'marks': {
        const marks = this.marks?.();
        if (marks?.size) m.hset(this.key('marks'), Object.fromEntries(marks));
        return;
      }
    }
  }

  /** Write the whole state again, and drop reservations Redis holds that this process has released. */
  private async resync(): Promise<void> {
    const e = this.engine;
    if (!e) return;
    try {
      const stale = (await this.hashes('order:*')).filter(({ h }) => h['strategy'] && h['clientOrderId'] && !e.reservation(h['strategy'], h['clientOrderId']));
      for (const { h } of stale) this.changed('order', h['strategy']!, h['clientOrderId']!);
    } catch {
      // Redis went away again: the next reconnect resyncs.
      return;
    }
    this.changed('limits', 'default', '');
    for (const t of e.limits.symbol.keys()) this.changed('limits', 'symbol', t);
    for (const t of e.limits.strategy.keys()) this.changed('limits', 'strategy', t);
    this.changed('restricted', '', '');
    for (const s of e.killSwitches.values()) this.changed('ks', s.scope, s.target ?? '');
    for (const { strategy, position } of e.positions.list()) this.changed('pos', strategy, position.symbol);
    for (const w of e.working.values()) this.changed('working', w.strategy, w.symbol);
    for (const r of e.reservations.values()) this.changed('order', r.strategy, r.clientOrderId);
    for (const s of e.cursors.keys()) this.changed('cursor', s, '');
    for (const [s, p] of e.pnl) this.changed('pnl', s, p.day);
    this.changed('marks', '', '');
  }

  /** Keys matching a pattern, with SCAN (never KEYS: it blocks Redis on a large keyspace). */
  private async scan(pattern: string): Promise<string[]> {
    const out = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      for (const k of keys) out.add(k);
      cursor = next;
    } while (cursor !== '0');
    return [...out];
  }

  private async hashes(pattern: string): Promise<{ key: string; h: Record<string, string> }[]> {
    const keys = await this.scan(this.key(pattern));
    const p = this.redis.pipeline();
    for (const k of keys) p.hgetall(k);
    const res = (await p.exec()) ?? [];
    return keys.map((key, i) => ({ key, h: (res[i]?.[1] ?? {}) as Record<string, string> }));
  }

  /**
   * Load what the previous process left into the engine (before anything else runs). Returns the marks
   * and whether limits were ever seeded.
   */
  async load(engine: RiskEngine): Promise<{ seeded: boolean; marks: Map<string, number> }> {
    const seeded = (await this.redis.exists(this.key('limits', 'seeded'))) === 1;
    const toLimits = (h: Record<string, string>) => Object.fromEntries(LIMIT_KEYS.filter((n) => h[n] !== undefined).map((n) => [n, Number(h[n])]));
    engine.limits.default = toLimits(await this.redis.hgetall(this.key('limits', 'default')));
    for (const scope of ['symbol', 'strategy'] as const) {
      const prefix = this.key('limits', scope, '');
      for (const { key, h } of await this.hashes(`limits:${scope}:*`)) (scope === 'symbol' ? engine.limits.symbol : engine.limits.strategy).set(key.slice(prefix.length), toLimits(h));
    }
    for (const s of await this.redis.smembers(this.key('restricted'))) engine.restricted.add(s);
    for (const { h } of await this.hashes('ks:*')) {
      if (!h['scope']) continue;
      const s: KillSwitchState = { scope: h['scope'] as KillSwitchScope, target: h['target'] || null, engaged: h['engaged'] === '1', reason: h['reason'] ?? '', actor: h['actor'] ?? '', ts: h['ts'] ?? '' };
      engine.killSwitches.set(`${s.scope}\u0000${s.target ?? ''}`, s);
    }
    for (const { h } of await this.hashes('pos:*')) {
      if (h['strategy'] && h['symbol']) engine.positions.restore(h['strategy'], h['symbol'], { qty: num(h['qty']) ?? 0, avgPx: num(h['avg']) ?? 0, realized: num(h['realized']) ?? 0, fees: num(h['fees']) ?? 0 });
    }
    for (const { h } of await this.hashes('working:*')) {
      const sym = h['symbol'];
      if (!h['strategy'] || !sym) continue;
      const sc = engine.instruments.find(sym)?.qtyScale ?? 1;
      engine.working.set(`${h['strategy']}\u0000${sym}`, { strategy: h['strategy'], symbol: sym, buy: toUnits(num(h['buy']) ?? 0, sc), sell: toUnits(num(h['sell']) ?? 0, sc) });
    }
    for (const { h } of await this.hashes('order:*')) {
      const strategy = h['strategy'];
      const coid = h['clientOrderId'];
      const sym = h['symbol'];
      if (!strategy || !coid || !sym) continue;
      const sc = engine.instruments.find(sym)?.qtyScale ?? 1;
      engine.reservations.set(`${strategy}\u0000${coid}`, { strategy, clientOrderId: coid, symbol: sym, side: h['side'] as Side, leaves: toUnits(num(h['leaves']) ?? 0, sc), submitted: h['submitted'] === '1', approvedAt: num(h['ts']) ?? 0 });
    }
    for (const [s, seq] of Object.entries(await this.redis.hgetall(this.key('cursors')))) engine.cursors.set(s, Number(seq));
    const day = tradingDay();
    const pnlPrefix = this.key('pnl', '');
    for (const key of await this.scan(this.key('pnl', '*', day))) {
      const strategy = key.slice(pnlPrefix.length, -(day.length + 1));
      engine.pnl.set(strategy, { day, value: Number((await this.redis.get(key)) ?? 0) });
    }
    const marks = new Map(Object.entries(await this.redis.hgetall(this.key('marks'))).map(([s, v]) => [s, Number(v)]));
    return { seeded, marks };
  }

  /** The audit trail, newest first; kill-switch entries typed like the API that changed them. */
  async auditTrail(count = 100): Promise<Record<string, string | boolean | null>[]> {
    const rows = await this.redis.xrevrange(this.key('audit'), '+', '-', 'COUNT', count);
    return rows.map(([id, f]) => {
      const o: Record<string, string | boolean | null> = { id };
      for (let i = 0; i < f.length; i += 2) o[f[i]!] = f[i + 1]!;
      if (o['kind'] === 'kill_switch') Object.assign(o, { engaged: o['engaged'] === '1', target: o['target'] || null });
      return o;
    });
  }

  async close(): Promise<void> {
    await this.flush().catch(() => {});
    this.redis.disconnect();
  }
}
