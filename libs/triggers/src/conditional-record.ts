import type { ConditionalStatus, DenyCode, PartStatus, RejectCode } from '@hft/messages';
import { directionOf, type BracketSpec, type TriggerSource } from './conditional-orders.js';
import type { TriggerDirection } from './price-triggers.js';

export type PartName = 'entry' | 'leg0' | 'leg1';
/** A part (the entry or a leg) as placed: what releases it and what it releases. Integer units. */
export type PartSpec = BracketSpec['legs'][number];

/** A conditional order as placed, in integer units of its instrument. */
export interface ConditionalOrderSpec {
  id: string;
  strategyId: string;
  symbol: string;
  /** The entry's side; without an entry, the side of the position the legs exit. */
  side: 'buy' | 'sell';
  quantity: number;
  entry: PartSpec | null;
  legs: PartSpec[];
}

/** What a triggered part sent: the child order (a new order through risk). */
export interface ChildOrder {
  clientOrderId: string;
  side: 'buy' | 'sell';
  quantity: number;
  orderType: 'market' | 'limit';
  price: number | null;
}

export interface PartState {
  status: PartStatus;
  /** Trailing kinds: the mark as last recorded (the engine holds the live one). */
  extreme: number | null;
  child: ChildOrder | null;
  cumQty: number;
}

/** A conditional order's state: the fold of its events (the same fold live, on restart and in a backtest). */
export interface ConditionalRecord {
  spec: ConditionalOrderSpec;
  status: ConditionalStatus;
  /** The entry's filled quantity (what the legs cover). */
  filled: number;
  parts: Partial<Record<PartName, PartState>>;
  reason: string | null;
  /** Events applied (a restart skips journaled events the stored record already holds). */
  version: number;
}

/** What happens to a conditional order (integer units). */
export type ConditionalChange =
  /** `marks`: the trailing parts' first marks (the watched price when they started waiting). */
  | { type: 'placed'; spec: ConditionalOrderSpec; marks: Marks }
  | { type: 'modified'; spec: ConditionalOrderSpec; marks: Marks }
  | { type: 'triggered'; part: PartName; child: ChildOrder; source: TriggerSource; price: number; level: number; tickSeq: number | null; tickTs: string | null }
  | { type: 'armed'; quantity: number; marks: Marks }
  | { type: 'completed' }
  | { type: 'canceled'; reason: string }
  | { type: 'denied'; clientOrderId: string; code: DenyCode; reason: string }
  | { type: 'rejected'; clientOrderId: string; code: RejectCode; reason: string };

export type Marks = Partial<Record<PartName, number>>;

export const partId = (id: string, part: PartName): string => `${id}:${part}`;
/** `<id>:entry` -> [id, 'entry']; undefined for an id that is not a part's. */
export function splitPartId(clientOrderId: string): [string, PartName] | undefined {
  const at = clientOrderId.lastIndexOf(':');
  const part = clientOrderId.slice(at + 1);
  return at > 0 && (part === 'entry' || part === 'leg0' || part === 'leg1') ? [clientOrderId.slice(0, at), part] : undefined;
}

/** A record's parts in their order (entry, leg0, leg1): a stored record's keys may come back in another. */
export const partNames = (r: { parts: Partial<Record<PartName, unknown>> }): PartName[] => (['entry', 'leg0', 'leg1'] as const).filter((n) => r.parts[n] !== undefined);

export const legNames = (spec: ConditionalOrderSpec): PartName[] => spec.legs.map((_l, i) => (i === 0 ? 'leg0' : 'leg1'));
export const partSpec = (spec: ConditionalOrderSpec, part: PartName): PartSpec | undefined => (part === 'entry' ? (spec.entry ?? undefined) : spec.legs[part === 'leg0' ? 0 : 1]);
export const partSide = (spec: ConditionalOrderSpec, part: PartName): 'buy' | 'sell' => (part === 'entry' ? spec.side : spec.side === 'buy' ? 'sell' : 'buy');
export const isTrailing = (p: PartSpec): boolean => p.kind === 'trailing_stop' || p.kind === 'trailing_stop_limit';
export const isOpen = (r: ConditionalRecord): boolean => r.status === 'Pending' || r.status === 'Triggered' || r.status === 'Armed';

function mark(parts: ConditionalRecord['parts'], marks: Marks): void {
  for (const [name, extreme] of Object.entries(marks) as [PartName, number][]) if (parts[name]) parts[name] = { ...parts[name], extreme };
}

const fresh = (status: PartStatus): PartState => ({ status, extreme: null, child: null, cumQty: 0 });

/** Applies one change to a record (a new one for `placed`). Pure: live, restart and backtest fold the same way. */
export function applyChange(r: ConditionalRecord | undefined, c: ConditionalChange): ConditionalRecord {
  if (c.type === 'placed') {
    const parts: ConditionalRecord['parts'] = {};
    if (c.spec.entry) parts.entry = fresh('waiting');
    for (const leg of legNames(c.spec)) parts[leg] = fresh(c.spec.entry ? 'idle' : 'waiting');
    mark(parts, c.marks);
    return { spec: c.spec, status: c.spec.entry ? 'Pending' : 'Armed', filled: c.spec.entry ? 0 : c.spec.quantity, parts, reason: null, version: 1 };
  }
  if (!r) throw new RangeError(`a ${c.type} change for a conditional order that was never placed`);
  const next: ConditionalRecord = { ...r, parts: { ...r.parts }, version: r.version + 1 };
  const each = (f: (name: PartName, p: PartState) => PartState): void => {
    for (const name of Object.keys(next.parts) as PartName[]) next.parts[name] = f(name, next.parts[name]!);
  };
  const end = (status: ConditionalStatus, reason: string | null): void => {
    next.status = status;
    next.reason = reason;
    each((_n, p) => (p.status === 'waiting' || p.status === 'idle' ? { ...p, status: 'canceled' } : p));
  };
  switch (c.type) {
    case 'modified': {
      next.spec = c.spec;
      // A part that changed kind or direction starts its mark again.
      each((name, p) => {
        const was = partSpec(r.spec, name);
        const now = partSpec(c.spec, name);
        return was && now && was.kind === now.kind && was.triggerOn === now.triggerOn ? p : { ...p, extreme: null };
      });
      mark(next.parts, c.marks);
      break;
    }
    case 'triggered':
      next.parts[c.part] = { ...next.parts[c.part]!, status: 'triggered', child: c.child };
      // One leg released: the other (its OCO sibling) is cancelled.
      if (c.part !== 'entry') each((name, p) => (name !== c.part && name !== 'entry' && (p.status === 'waiting' || p.status === 'idle') ? { ...p, status: 'canceled' } : p));
      next.status = 'Triggered';
      break;
    case 'armed':
      next.filled = c.quantity;
      each((name, p) => (name !== 'entry' && p.status === 'idle' ? { ...p, status: 'waiting' } : p));
      mark(next.parts, c.marks);
      if (!legNames(r.spec).some((l) => next.parts[l]!.status === 'triggered')) next.status = 'Armed';
      break;
    case 'completed':
      end('Completed', null);
      break;
    case 'canceled':
      end('Canceled', c.reason);
      break;
    case 'denied':
      end('Denied', `${c.code}: ${c.reason}`);
      break;
    case 'rejected':
      end('Rejected', `${c.code}: ${c.reason}`);
      break;
  }
  return next;
}

/** A trailing mark moved (`trailed`): every waiting trailing part of that series and direction has it at least. */
export function applyTrail(r: ConditionalRecord, source: TriggerSource, direction: TriggerDirection, price: number): ConditionalRecord {
  let changed = false;
  const parts = { ...r.parts };
  for (const name of Object.keys(parts) as PartName[]) {
    const p = parts[name]!;
    const s = partSpec(r.spec, name);
    if (!s || p.status !== 'waiting' || !isTrailing(s) || s.triggerOn !== source || directionOf(s.kind, partSide(r.spec, name)) !== direction) continue;
    const extreme = p.extreme === null ? price : direction === 'fall' ? Math.max(p.extreme, price) : Math.min(p.extreme, price);
    if (extreme !== p.extreme) {
      parts[name] = { ...p, extreme };
      changed = true;
    }
  }
  return changed ? { ...r, parts } : r;
}
