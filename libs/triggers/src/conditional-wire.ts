import type { Instrument } from '@hft/config';
import { ConditionalRefuseCode, envelope, nowNs, type ConditionalEvent, type ConditionalPart, type ConditionalView, type MessageInput, type OrderEvent, type PlaceConditionalOrder } from '@hft/messages';
import type { ChildEnd } from './conditional-book.js';
import { parseGtt, type GttIssue } from './gtt-request.js';
import { partNames, partSide, partSpec, type ConditionalChange, type ConditionalOrderSpec, type ConditionalRecord, type PartName, type PartSpec } from './conditional-record.js';
import type { Refusal } from './conditional-book.js';

// Conditional orders between the wire (decimals) and the book (integer units of the instrument):
// one conversion for the OMS, the strategy runtime's backtest and the REST API.

const fromUnits = (u: number, scale: number): number => u / scale;

/** A decimal on its grid as integer units, or null (not a whole number of steps). */
export function onGrid(v: number, scale: number, step: number): number | null {
  const u = Math.round(v * scale);
  return Math.abs(u - v * scale) < 1e-6 * Math.max(1, Math.abs(u)) && u % step === 0 && u > 0 ? u : null;
}

export function toPart(p: ConditionalPart, inst: Instrument, where: string): PartSpec | Refusal {
  const off = (what: string, v: number): Refusal => ({ code: ConditionalRefuseCode.OffGrid, reason: `${where}.${what} ${v} is not on the tick grid of ${inst.symbol} (tick ${fromUnits(inst.tickUnits, inst.priceScale)})` });
  const out: PartSpec = { kind: p.kind, triggerOn: p.triggerOn };
  if (p.triggerPrice !== undefined) {
    const u = onGrid(p.triggerPrice, inst.priceScale, inst.tickUnits);
    if (u === null) return off('triggerPrice', p.triggerPrice);
    out.triggerPrice = u;
  }
  if (p.limitPrice !== undefined) {
    const u = onGrid(p.limitPrice, inst.priceScale, inst.tickUnits);
    if (u === null) return off('limitPrice', p.limitPrice);
    out.limitPrice = u;
  }
  if (p.trailingGap !== undefined && p.trailingBps !== undefined) return { code: ConditionalRefuseCode.InvalidSpec, reason: `${where}: a trailing gap is in price (trailingGap) or in basis points (trailingBps), not both` };
  if (p.trailingGap !== undefined) {
    const u = onGrid(p.trailingGap, inst.priceScale, inst.tickUnits);
    if (u === null) return off('trailingGap', p.trailingGap);
    out.trailing = { units: u };
  }
  if (p.trailingBps !== undefined) out.trailing = { bps: p.trailingBps };
  if (p.limitOffset !== undefined) {
    const u = p.limitOffset === 0 ? 0 : onGrid(p.limitOffset, inst.priceScale, inst.tickUnits);
    if (u === null) return off('limitOffset', p.limitOffset);
    out.limitOffset = u;
  }
  return out;
}

export function toSpec(cmd: PlaceFields, inst: Instrument): ConditionalOrderSpec | Refusal {
  const quantity = onGrid(cmd.quantity, inst.qtyScale, inst.lotUnits);
  if (quantity === null) return { code: ConditionalRefuseCode.OffGrid, reason: `quantity ${cmd.quantity} is not a whole number of lots of ${inst.symbol}` };
  const entry = cmd.entry ? toPart(cmd.entry, inst, 'entry') : null;
  if (entry && 'code' in entry) return entry;
  const legs: PartSpec[] = [];
  for (const [i, l] of cmd.legs.entries()) {
    const p = toPart(l, inst, `legs.${i}`);
    if ('code' in p) return p;
    legs.push(p);
  }
  return { id: cmd.conditionalId, strategyId: cmd.strategyId, symbol: cmd.symbol, side: cmd.side, quantity, entry, legs };
}

/** The wire's view of a record (decimals); `levels`: the engine's live level and mark per part. */
export function toView(r: ConditionalRecord, levels: Partial<Record<PartName, { level: number | null; extreme: number | null }>>, inst: Instrument): ConditionalView {
  const px = (u: number | undefined | null): number | undefined => (u === undefined || u === null ? undefined : fromUnits(u, inst.priceScale));
  const parts = partNames(r).map((name) => {
    const s = partSpec(r.spec, name)!;
    const st = r.parts[name]!;
    const lv = levels[name];
    const trailing = s.trailing && ('units' in s.trailing ? { trailingGap: px(s.trailing.units)! } : { trailingBps: s.trailing.bps });
    return {
      part: name,
      kind: s.kind,
      triggerOn: s.triggerOn,
      ...(s.triggerPrice !== undefined ? { triggerPrice: px(s.triggerPrice)! } : {}),
      ...(s.limitPrice !== undefined ? { limitPrice: px(s.limitPrice)! } : {}),
      ...trailing,
      ...(s.limitOffset !== undefined ? { limitOffset: px(s.limitOffset)! } : {}),
      status: st.status,
      side: partSide(r.spec, name),
      level: st.status === 'waiting' ? (px(lv?.level) ?? null) : null,
      extreme: px(lv?.extreme ?? st.extreme) ?? null,
      clientOrderId: st.child?.clientOrderId ?? null,
      cumQty: fromUnits(st.cumQty, inst.qtyScale),
    };
  });
  return { conditionalId: r.spec.id, strategyId: r.spec.strategyId, symbol: r.spec.symbol, side: r.spec.side, quantity: fromUnits(r.spec.quantity, inst.qtyScale), status: r.status, filledQty: fromUnits(r.filled, inst.qtyScale), parts, reason: r.reason };
}


/** A place command's own fields (what REST, a strategy or a socket client gives). */
export type PlaceFields = Omit<PlaceConditionalOrder, 'type' | 'eventId' | 'tsEvent' | 'tsInit' | 'causationId' | 'seq'>;

/** What an order event says about a child: its filled quantity (units) and how it ended, or null when it says nothing. */
export function childProgress(e: OrderEvent, qtyScale: number): { cumQty: number; ended: ChildEnd | null } | null {
  const cum = (q: number): number => Math.round(q * qtyScale);
  switch (e.type) {
    case 'OrderFilled':
      return { cumQty: cum(e.cumQty), ended: e.leavesQty === 0 ? { how: 'filled' } : null };
    case 'OrderCanceled':
      return { cumQty: cum(e.cumQty), ended: { how: 'canceled', reason: e.reason } };
    case 'OrderExpired':
      return { cumQty: cum(e.cumQty), ended: { how: 'expired', reason: 'what the venue did not fill at once expired' } };
    case 'OrderRejected':
      return { cumQty: 0, ended: { how: 'rejected', code: e.code, reason: e.reason } };
    case 'OrderDenied':
      return { cumQty: 0, ended: { how: 'denied', code: e.code, reason: e.reason } };
    default:
      return null;
  }
}

const EVENT_TYPE: Record<ConditionalChange['type'], ConditionalEvent['type']> = {
  placed: 'ConditionalOrderPlaced',
  modified: 'ConditionalOrderModified',
  triggered: 'ConditionalOrderTriggered',
  armed: 'ConditionalOrderArmed',
  completed: 'ConditionalOrderCompleted',
  canceled: 'ConditionalOrderCanceled',
  denied: 'ConditionalOrderDenied',
  rejected: 'ConditionalOrderRejected',
};

/**
 * The event published for a change, as the OMS publishes it and a backtest hands it to strategies:
 * a trigger's `tsEvent` is the exchange time of the tick that crossed, other changes' the time now
 * (`now`: the data time in a backtest).
 */
export function conditionalEvent(r: ConditionalRecord, c: ConditionalChange, levels: Partial<Record<PartName, { level: number | null; extreme: number | null }>>, inst: Instrument, seq: number, now: () => bigint = nowNs): MessageInput<ConditionalEvent['type']> {
  const type = EVENT_TYPE[c.type];
  const tsEvent = c.type === 'triggered' && c.tickTs !== null ? BigInt(c.tickTs) : now();
  const base = { ...envelope(null, tsEvent), seq, strategyId: r.spec.strategyId, conditionalId: r.spec.id, symbol: r.spec.symbol, conditional: toView(r, levels, inst) };
  const px = (u: number): number => fromUnits(u, inst.priceScale);
  return (
    c.type === 'triggered'
      ? { type, ...base, part: c.part, clientOrderId: c.child.clientOrderId, source: c.source, price: px(c.price), level: px(c.level), tickSeq: c.tickSeq }
      : c.type === 'armed'
        ? { type, ...base, quantity: fromUnits(c.quantity, inst.qtyScale) }
        : c.type === 'canceled'
          ? { type, ...base, reason: c.reason.slice(0, 500) }
          : c.type === 'denied' || c.type === 'rejected'
            ? { type, ...base, clientOrderId: c.clientOrderId, code: c.code, reason: c.reason.slice(0, 500) }
            : { type, ...base }
  ) as MessageInput<ConditionalEvent['type']>;
}

function partOut(p: PartSpec, priceScale: number): ConditionalPart {
  const px = (u: number): number => fromUnits(u, priceScale);
  return {
    kind: p.kind,
    triggerOn: p.triggerOn,
    ...(p.triggerPrice !== undefined ? { triggerPrice: px(p.triggerPrice) } : {}),
    ...(p.limitPrice !== undefined ? { limitPrice: px(p.limitPrice) } : {}),
    ...(p.trailing ? ('units' in p.trailing ? { trailingGap: px(p.trailing.units) } : { trailingBps: p.trailing.bps }) : {}),
  };
}

/** A GTT request (the source documents' format) as a place command, or the issues with it (path and why). */
export function gttToPlace(body: unknown, id: string, strategyId: string, find: (symbol: string) => Instrument | undefined): { ok: true; place: PlaceFields } | { ok: false; issues: GttIssue[] } {
  const inst = find((body as { instrument?: unknown } | null)?.instrument as string);
  const units = { price: (p: number) => (inst ? onGrid(p, inst.priceScale, inst.tickUnits) : 1), quantity: (q: number) => (inst ? onGrid(q, inst.qtyScale, inst.lotUnits) : 1) };
  const g = parseGtt(body, id, strategyId, units);
  if (!g.ok) return g;
  if (!inst) return { ok: false, issues: [{ path: 'instrument', message: `${g.request.instrument} is not an instrument of this platform` }] };
  const entry = g.bracket.entry && partOut(g.bracket.entry, inst.priceScale);
  return { ok: true, place: { strategyId, conditionalId: id, symbol: g.owner.symbol, side: g.owner.side, quantity: g.request.quantity, entry, legs: g.bracket.legs.map((l) => partOut(l, inst.priceScale)) } };
}
