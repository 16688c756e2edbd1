import { defineError } from '@hft/errors';

export const ERR_MD_BAD_OPTION = defineError('HFT_MD_BAD_OPTION', (option: string, why: string) => ({
  message: `--${option}: ${why}`,
  details: { option },
}));
