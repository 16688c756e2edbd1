import { freePorts } from './free-ports.js';

export const ENDPOINTS = ['ticks', 'books', 'orders', 'approved', 'venue', 'exec_reports', 'risk_check', 'control'] as const;
export const DAEMONS = ['market_data', 'strategy', 'risk', 'oms', 'execution', 'monitoring', 'security'] as const;
export type EndpointName = (typeof ENDPOINTS)[number];
export type DaemonName = (typeof DAEMONS)[number];

export interface PlatformEnv {
  env: Record<string, string>;
  endpoint: Record<EndpointName, string>;
  http: Record<DaemonName, number>;
}

/**
 * A private set of loopback ports for every socket and HTTP server, as HFT__ overrides, so a test
 * platform never collides with another one (or with a pipeline a developer left running).
 */
export async function platformEnv(extra: Record<string, string> = {}): Promise<PlatformEnv> {
  const ports = await freePorts(ENDPOINTS.length + DAEMONS.length);
  const env: Record<string, string> = { LOG_LEVEL: 'warn', ...extra };
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
  return { env, endpoint, http };
}
