import { describe, expect, it } from 'vitest';
import { orderStatus } from '@hft/messages';
import { ALL_TRANSITIONS, canTransition } from '../src/state-machine.js';

const LEGAL = new Set([
  'PendingNew>New', 'PendingNew>PartiallyFilled', 'PendingNew>Filled', 'PendingNew>Rejected', 'PendingNew>Expired', 'PendingNew>Canceled', 'PendingNew>PendingCancel',
  'New>PartiallyFilled', 'New>Filled', 'New>PendingCancel', 'New>Canceled', 'New>Expired',
  'PartiallyFilled>PartiallyFilled', 'PartiallyFilled>Filled', 'PartiallyFilled>PendingCancel', 'PartiallyFilled>Canceled', 'PartiallyFilled>Expired',
  'PendingCancel>PendingNew', 'PendingCancel>New', 'PendingCancel>PartiallyFilled', 'PendingCancel>Filled', 'PendingCancel>Canceled', 'PendingCancel>Expired', 'PendingCancel>Rejected',
]);

describe('order state machine', () => {
  it('allows exactly the FIX transitions and nothing else, for every pair of states', () => {
    const states = orderStatus.options;
    for (const from of states) {
      for (const to of states) {
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(LEGAL.has(`${from}>${to}`));
      }
    }
    expect(ALL_TRANSITIONS).toHaveLength(LEGAL.size);
  });

  it('has no way out of a terminal state', () => {
    for (const t of ['Filled', 'Canceled', 'Rejected', 'Denied', 'Expired'] as const) {
      expect(orderStatus.options.some((to) => canTransition(t, to))).toBe(false);
    }
  });
});
