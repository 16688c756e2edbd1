export { loadConfig, parseConfig, defaultConfigPath, workspaceRoot, fromRoot, type LoadOptions } from './load-config.js';
export { platformSchema, instrumentSchema, type PlatformConfig, type Endpoint, type EndpointName, type InstrumentConfig, type OptionTermsConfig, type OptionChainConfig, type RiskLimits, type GreekLimitsConfig, type TickFormat, TICK_FORMATS, WAIT_FOR_ENTRY, WAIT_FOR_RULE, OPTION_RIGHTS, INSTRUMENT_KINDS, type InstrumentKind } from './schema.js';
export { InstrumentRegistry, toInstrument, type Instrument, type OptionTerms } from './instruments.js';
export { contractSymbol, occSymbol, strikeText, type OptionRight } from './option-symbols.js';
export { zonedInstantMs, zonedMidnightSec, isTimeZone, isCalendarDate } from './zoned-time.js';
export { applyEnvOverrides, parseEnvValue, ENV_PREFIX } from './env-overrides.js';
export { locateKeys, lineOf, splitKey } from './toml-locator.js';
export * from './errors.js';
