import { defineError } from '@hft/errors';

export const ERR_MIGRATION_CHANGED = defineError('HFT_MIGRATION_CHANGED', (name: string) => ({
  message: `migration ${name} was edited after it was applied (checksum differs); add a new migration instead`,
  details: { name },
}));

export const ERR_MIGRATION_FAILED = defineError('HFT_MIGRATION_FAILED', (name: string, why: string) => ({
  message: `migration ${name} failed: ${why}`,
  details: { name },
}));
