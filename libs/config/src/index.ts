export { loadConfig, parseConfig, defaultConfigPath, workspaceRoot, fromRoot, type LoadOptions } from './load-config.js';
export { platformSchema, type PlatformConfig, type Endpoint, type EndpointName, type InstrumentConfig, type RiskLimits, type TickFormat, TICK_FORMATS } from './schema.js';
export { InstrumentRegistry, toInstrument, type Instrument } from './instruments.js';
export { applyEnvOverrides, parseEnvValue, ENV_PREFIX } from './env-overrides.js';
export { locateKeys, lineOf, splitKey } from './toml-locator.js';
export * from './errors.js';
