import { defineError } from '@hft/errors';

export const ERR_MIGRATION_CHANGED = defineError('HFT_OMS_MIGRATION_CHANGED', (name: string) => ({
  message: `migration ${name} was edited after it was applied (checksum differs); add a new migration instead`,
  details: { name },
}));

export const ERR_MIGRATION_FAILED = defineError('HFT_OMS_MIGRATION_FAILED', (name: string, why: string) => ({
  message: `migration ${name} failed: ${why}`,
  details: { name },
}));

export const ERR_JOURNAL_CORRUPT = defineError('HFT_OMS_JOURNAL_CORRUPT', (path: string, offset: number) => ({
  message: `journal ${path} is corrupt at byte ${offset} (not its last segment, so not a torn write): refusing to start; restore the file or move it aside after reconciling with the venue`,
  details: { path, offset },
}));
