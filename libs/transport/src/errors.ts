import { defineError } from '@hft/errors';

export const ERR_BIND = defineError('HFT_ZMQ_BIND', (stream: string, endpoint: string, why: string) => ({
  message: `cannot bind ${stream} socket on ${endpoint}: ${why}`,
  details: { stream, endpoint },
}));

export const ERR_RPC_TIMEOUT = defineError('HFT_RPC_TIMEOUT', (stream: string, type: string, ms: number) => ({
  message: `${stream}: no reply to ${type} within ${ms} ms`,
  details: { stream, type, ms },
}));

export const ERR_QUEUE_FULL = defineError('HFT_SEND_QUEUE_FULL', (stream: string, capacity: number) => ({
  message: `${stream}: send queue full (${capacity} messages waiting); the peer is not keeping up`,
  details: { stream, capacity },
}));

export const ERR_CLOSED = defineError('HFT_SOCKET_CLOSED', (stream: string) => ({
  message: `${stream}: socket is closed`,
  details: { stream },
}));
