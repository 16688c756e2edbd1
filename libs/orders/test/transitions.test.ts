import { describe, expect, it } from 'vitest';
import { orderStatus } from '@hft/messages';
import { ALL_TRANSITIONS, canTransition, isOpen, isTerminal, OPEN_STATUSES, TERMINAL_STATUSES } from '../src/index.js';

const LEGAL = new Set([
  'PendingNew>New', 'PendingNew>PartiallyFilled', 'PendingNew>Filled', 'PendingNew>Rejected', 'PendingNew>Denied', 'PendingNew>Expired', 'PendingNew>Canceled', 'PendingNew>PendingCancel',
  'New>PartiallyFilled', 'New>Filled', 'New>PendingCancel', 'New>Canceled', 'New>Expired',
  'PartiallyFilled>PartiallyFilled', 'PartiallyFilled>Filled', 'PartiallyFilled>PendingCancel', 'PartiallyFilled>Canceled', 'PartiallyFilled>Expired',
  'PendingCancel>PendingCancel', 'PendingCancel>PendingNew', 'PendingCancel>New', 'PendingCancel>PartiallyFilled', 'PendingCancel>Filled', 'PendingCancel>Canceled', 'PendingCancel>Expired', 'PendingCancel>Rejected', 'PendingCancel>Denied',
]);

describe('FIX state table', () => {
  it('allows exactly the FIX transitions and nothing else, for every pair of states', () => {
    for (const from of orderStatus.options) {
      for (const to of orderStatus.options) expect(canTransition(from, to), `${from} -> ${to}`).toBe(LEGAL.has(`${from}>${to}`));
    }
    expect(ALL_TRANSITIONS).toHaveLength(LEGAL.size);
  });

  it('has no way out of a terminal state, and every state is open or terminal, never both', () => {
    for (const t of TERMINAL_STATUSES) expect(orderStatus.options.some((to) => canTransition(t, to))).toBe(false);
    expect([...OPEN_STATUSES, ...TERMINAL_STATUSES].sort()).toEqual([...orderStatus.options].sort());
    for (const s of orderStatus.options) expect(isOpen(s)).toBe(!isTerminal(s));
  });
});
