import type { OrderStatus } from '@hft/messages';

/**
 * FIX order states. PendingNew -> New -> PartiallyFilled -> Filled; open -> PendingCancel -> Canceled;
 * Rejected by the venue, Denied on our side, Expired (IOC remainder). A venue may fill, expire or
 * cancel before it acks, and a fill may race a cancel, so those edges exist too. A rejected cancel
 * goes back to where the order was (PendingNew when it overtook the venue's ack). Terminal states
 * have no way out.
 */
const LEGAL: Record<OrderStatus, readonly OrderStatus[]> = {
  PendingNew: ['New', 'PartiallyFilled', 'Filled', 'Rejected', 'Denied', 'Expired', 'Canceled', 'PendingCancel'],
  New: ['PartiallyFilled', 'Filled', 'PendingCancel', 'Canceled', 'Expired'],
  PartiallyFilled: ['PartiallyFilled', 'Filled', 'PendingCancel', 'Canceled', 'Expired'],
  PendingCancel: ['PendingCancel', 'PendingNew', 'New', 'PartiallyFilled', 'Filled', 'Canceled', 'Expired', 'Rejected', 'Denied'],
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
