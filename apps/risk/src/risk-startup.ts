import type { PlatformConfig } from '@hft/config';
import type { Logger } from '@hft/logging';
import type { OrderEventFeed } from '@hft/order-stream';
import type { KillSwitch } from './kill-switch.js';
import type { LimitKey, RiskEngine } from './risk-engine.js';
import type { RiskPersistence } from './risk-persistence.js';
import type { RiskService } from './risk-service.js';
import type { ReferencePrices } from './reference-prices.js';

/** The limits of the config file, replacing whatever the engine holds (first start, or --reset-limits). */
export function seedLimits(engine: RiskEngine, r: PlatformConfig['risk']): void {
  for (const scope of ['symbol', 'strategy'] as const) {
    const held = scope === 'symbol' ? engine.limits.symbol : engine.limits.strategy;
    for (const target of [...held.keys()]) engine.setLimits(scope, target, Object.fromEntries(Object.keys(held.get(target)!).map((n) => [n, null])), 'config');
  }
  engine.setLimits('default', null, r.default_limits, 'config');
  for (const [s, l] of Object.entries(r.symbol_limits)) engine.setLimits('symbol', s, l as Partial<Record<LimitKey, number>>, 'config');
  for (const [s, l] of Object.entries(r.strategy_limits)) engine.setLimits('strategy', s, l as Partial<Record<LimitKey, number>>, 'config');
  engine.setRestricted(r.restricted_symbols, 'config');
}

/**
 * Where to catch each strategy up from after loading Redis: its persisted cursor, or 0 for a strategy
 * risk holds approvals for but no cursor. Its approvals reached Redis, but none of its events did (the
 * cursor is written with every event), so the whole stream is still to apply. Without this, such
 * approvals looked "never submitted" and were voided on restart.
 */
export function startingCursors(engine: Pick<RiskEngine, 'cursors' | 'reservations'>): Map<string, number> {
  const cursors = new Map(engine.cursors);
  for (const r of engine.reservations.values()) if (!cursors.has(r.strategy)) cursors.set(r.strategy, 0);
  return cursors;
}

/**
 * Risk's start, in order: Redis reachable, the previous state loaded (limits seeded on the very first
 * start), the order-event stream caught up from each strategy's cursor, approvals the OMS never showed
 * as submitted voided; only then does risk approve anything.
 */
export async function startRisk(o: { cfg: PlatformConfig; engine: RiskEngine; store: RiskPersistence; refs: ReferencePrices; feed: OrderEventFeed; service: RiskService; killSwitch: KillSwitch; resetLimits: boolean; log: Logger; stopped: () => boolean }): Promise<boolean> {
  await o.store.connect();
  while (!o.store.up) {
    if (o.stopped()) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  const { seeded, marks } = await o.store.load(o.engine);
  if (!seeded || o.resetLimits) {
    seedLimits(o.engine, o.cfg.risk);
    o.log.info(o.resetLimits ? 'limits reset from the config file' : 'limits seeded from the config file');
  }
  o.refs.seed(marks);
  o.killSwitch.exportGauges();
  o.service.markLoaded();
  o.log.info({ strategies: o.engine.cursors.size, reservations: o.engine.reservations.size }, 'risk state loaded from Redis; catching up with the order-event stream');
  await o.feed.start(startingCursors(o.engine));
  o.service.voidUnsubmitted('restart', 0);
  o.service.markReady();
  o.log.info({ cursors: Object.fromEntries(o.engine.cursors) }, 'risk ready: caught up with the order-event stream');
  return true;
}
