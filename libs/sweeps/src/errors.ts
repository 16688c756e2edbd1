import { defineError } from '@hft/errors';

export const ERR_SWEEP_SPEC = defineError('HFT_SWEEP_SPEC', (where: string, why: string) => ({
  message: `sweep spec ${where}: ${why}`,
  details: { where },
}));
