import { defineError } from '@hft/errors';

export const ERR_MASTER_UNREACHABLE = defineError('HFT_MASTER_UNREACHABLE', (url: string, seconds: number, why: string) => ({
  message: `instrument master: Postgres at ${url} did not answer within ${seconds} s (${why}); start it (scripts/services.sh start) or set [instrument_master] source = "config"`,
  details: { seconds },
}));

export const ERR_CSV_HEADER = defineError('HFT_CSV_HEADER', (file: string, why: string) => ({
  message: `${file}: ${why}`,
  details: { file },
}));

export const ERR_PARTMAN_MISSING = defineError('HFT_PARTMAN_MISSING', (why: string) => ({
  message: `the candle store needs the pg_partman extension (Debian: apt-get install postgresql-15-partman; scripts/services.sh installs it): ${why}`,
  details: {},
}));

export const ERR_BAD_INTERVAL = defineError('HFT_BAD_INTERVAL', (interval: string) => ({
  message: `interval ${JSON.stringify(interval.slice(0, 20))} is not one of 1m, 5m, 15m, 1h, 1d`,
  details: { interval },
}));
