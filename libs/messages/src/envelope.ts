import { z } from 'zod';
import { nowNs } from './clock.js';
import { idString, nanos } from './fields.js';
import { newEventId } from './ids.js';

/** Fields every message carries, whatever its type. */
export const envelopeFields = {
  eventId: idString,
  /** When the thing happened (exchange time for market data, decision time for commands). */
  tsEvent: nanos,
  /** When this message object was created. */
  tsInit: nanos,
  /** eventId of the message that caused this one; null at the start of a chain. */
  causationId: idString.nullable(),
  /** Publisher's per-stream sequence number on broadcast streams, for gap detection. */
  seq: z.number().int().nonnegative().optional(),
};

export interface Envelope {
  type: string;
  eventId: string;
  tsEvent: bigint;
  tsInit: bigint;
  causationId: string | null;
  seq?: number;
}

/** Envelope fields for a new message; pass the causing message to continue its chain. */
export function envelope(cause?: { eventId: string } | null, tsEvent?: bigint): Omit<Envelope, 'type'> {
  const now = nowNs();
  return { eventId: newEventId(), tsEvent: tsEvent ?? now, tsInit: now, causationId: cause?.eventId ?? null };
}
