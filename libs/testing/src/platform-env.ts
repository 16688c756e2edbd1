import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wire, type WireName } from '@hft/messages';
import { freePorts } from './free-ports.js';

/** Every socket of the wire contract. */
export const ENDPOINTS = Object.keys(wire) as WireName[];
export const DAEMONS = ['market_data', 'strategy', 'risk', 'oms', 'execution', 'monitoring', 'security', 'fix_gateway', 'market_services'] as const;
export type EndpointName = (typeof ENDPOINTS)[number];
export type DaemonName = (typeof DAEMONS)[number];

export interface PlatformEnv {
  env: Record<string, string>;
  endpoint: Record<EndpointName, string>;
  http: Record<DaemonName, number>;
  /** Private Redis key prefix for risk state. */
  redisPrefix: string;
}

/**
 * A private set of loopback ports for every socket and HTTP server (and a private Redis key prefix and
 * OMS journal), as HFT__ overrides, so a test platform never collides with another one or a running pipeline.
 */
export async function platformEnv(extra: Record<string, string> = {}): Promise<PlatformEnv> {
  const ports = await freePorts(ENDPOINTS.length + DAEMONS.length + 1);
  const redisPrefix = `test:${randomUUID().slice(0, 8)}:`;
  const journal = join(mkdtempSync(join(tmpdir(), 'oms-journal-')), 'journal');
  const fixStore = mkdtempSync(join(tmpdir(), 'fix-store-'));
  // The FIX gateway and market services only where a test asks for them (HFT__..._ENABLED=true or `only`).
  const env: Record<string, string> = { LOG_LEVEL: 'warn', HFT__RISK__REDIS_PREFIX: redisPrefix, HFT__OMS__JOURNAL_DIR: journal, HFT__FIX_GATEWAY__ENABLED: 'false', HFT__MARKET_SERVICES__ENABLED: 'false', HFT__INSTRUMENT_MASTER__SOURCE: 'config', HFT__FIX_GATEWAY__STORE_DIR: fixStore, HFT__FIX_GATEWAY__FIX_PORT: String(ports[ENDPOINTS.length + DAEMONS.length]), ...extra };
  const endpoint = {} as Record<EndpointName, string>;
  const http = {} as Record<DaemonName, number>;
  ENDPOINTS.forEach((e, i) => {
    endpoint[e] = `tcp://127.0.0.1:${ports[i]}`;
    env[`HFT__ENDPOINTS__${e.toUpperCase()}__BIND`] = endpoint[e];
  });
  DAEMONS.forEach((d, i) => {
    http[d] = ports[ENDPOINTS.length + i]!;
    env[`HFT__${d.toUpperCase()}__HTTP_PORT`] = String(http[d]);
  });
  return { env, endpoint, http, redisPrefix };
}
