import { z } from 'zod';
import { envelopeFields } from './envelope.js';
import { idString, killSwitchScope } from './fields.js';

// Control-plane events broadcast by risk on the control stream.

export const KillSwitchChanged = z
  .object({
    type: z.literal('KillSwitchChanged'),
    ...envelopeFields,
    scope: killSwitchScope,
    /** Strategy id or symbol for scoped switches; null for global. */
    target: z.string().min(1).max(64).nullable(),
    engaged: z.boolean(),
    reason: z.string().min(1).max(500),
    /** Who did it (token subject). */
    actor: idString,
  })
  .strict()
  .refine((k) => (k.scope === 'global') === (k.target === null), {
    message: 'global switches have no target; strategy/symbol switches need one',
    path: ['target'],
  });
export type KillSwitchChanged = z.output<typeof KillSwitchChanged>;

export const LimitsChanged = z
  .object({
    type: z.literal('LimitsChanged'),
    ...envelopeFields,
    scope: z.enum(['default', 'symbol', 'strategy']),
    target: z.string().min(1).max(64).nullable(),
    limits: z.record(z.string(), z.number().finite().nullable()),
    actor: idString,
  })
  .strict();
export type LimitsChanged = z.output<typeof LimitsChanged>;
