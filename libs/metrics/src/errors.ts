import { defineError } from '@hft/errors';

export const ERR_METRIC_CONFLICT = defineError('HFT_METRIC_CONFLICT', (name: string, why: string) => ({
  message: `metric ${name} is already registered differently: ${why}`,
  details: { name },
}));

export const ERR_HTTP_LISTEN = defineError('HFT_HTTP_LISTEN', (host: string, port: number, why: string) => ({
  message: `cannot serve HTTP on ${host}:${port}: ${why}`,
  details: { host, port },
}));

export const ERR_HTTP_BAD_BODY = defineError('HFT_HTTP_BAD_BODY', (why: string, at?: number) => ({
  message: `request body refused: ${why}${at === undefined ? '' : ` (at byte ${at})`}`,
  details: at === undefined ? {} : { at },
}));
