import type { OrderStatus } from '@hft/messages';

// The one definition of which FIX states are open and which are final. Everything that asks "is this
// order still working?" asks here.

export const OPEN_STATUSES = ['PendingNew', 'New', 'PartiallyFilled', 'PendingCancel'] as const satisfies readonly OrderStatus[];
export const TERMINAL_STATUSES = ['Filled', 'Canceled', 'Rejected', 'Denied', 'Expired'] as const satisfies readonly OrderStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

const terminal: ReadonlySet<OrderStatus> = new Set(TERMINAL_STATUSES);

export function isTerminal(s: OrderStatus): s is TerminalStatus {
  return terminal.has(s);
}

export function isOpen(s: OrderStatus): s is OpenStatus {
  return !terminal.has(s);
}
