import { z } from 'zod';
import { DROP_REASONS } from './decoded.js';
import { envelopeFields } from './envelope.js';

/**
 * Owner -> client on every command socket: the command could not be decoded or validated, so nothing
 * was done with it. Every request gets an answer (a REQ client never waits forever); `causationId` is
 * the refused message's eventId when it had a readable one.
 */
export const CommandRefused = z
  .object({
    type: z.literal('CommandRefused'),
    ...envelopeFields,
    /** The refused message's `type`, when readable. */
    refusedType: z.string().max(64).nullable(),
    /** The refused message's clientOrderId, when readable. */
    clientOrderId: z.string().max(64).nullable(),
    reason: z.enum(DROP_REASONS),
    /** What was wrong and where (field paths), for a human. */
    detail: z.string().max(500),
  })
  .strict();
export type CommandRefused = z.output<typeof CommandRefused>;
