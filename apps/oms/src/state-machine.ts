import type { OrderStatus } from '@hft/messages';

/**
 * FIX order states. PendingNew -> New -> PartiallyFilled -> Filled; New/PartiallyFilled -> PendingCancel
 * -> Canceled; Rejected by the venue, Denied by risk, Expired (IOC remainder). A venue may fill or
 * expire before it acks, and a fill may race a cancel, so those edges exist too. Terminal states
 * have no way out.
 */
const LEGAL: Record<OrderStatus, readonly OrderStatus[]> = {
  PendingNew: ['New', 'PartiallyFilled', 'Filled', 'Rejected', 'Expired', 'Canceled', 'PendingCancel'],
  New: ['PartiallyFilled', 'Filled', 'PendingCancel', 'Canceled', 'Expired'],
  PartiallyFilled: ['PartiallyFilled', 'Filled', 'PendingCancel', 'Canceled', 'Expired'],
  // A cancel can be rejected (back to where it was, even PendingNew when it overtook the venue's
  // ack), overtaken by fills, done, or find the order itself rejected by the venue.
  PendingCancel: ['PendingNew', 'New', 'PartiallyFilled', 'Filled', 'Canceled', 'Expired', 'Rejected'],
  Filled: [],
  Canceled: [],
  Rejected: [],
  Denied: [],
  Expired: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return LEGAL[from].includes(to);
}

export const ALL_TRANSITIONS: readonly [OrderStatus, OrderStatus][] = (Object.keys(LEGAL) as OrderStatus[]).flatMap((from) => LEGAL[from].map((to): [OrderStatus, OrderStatus] => [from, to]));
