import { defineError } from '@hft/errors';

export const ERR_JOURNAL_CORRUPT = defineError('HFT_OMS_JOURNAL_CORRUPT', (path: string, offset: number) => ({
  message: `journal ${path} is corrupt at byte ${offset} (not its last segment, so not a torn write): refusing to start; restore the file or move it aside after reconciling with the venue`,
  details: { path, offset },
}));
