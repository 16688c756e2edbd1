export { freePorts } from './free-ports.js';
export { platformEnv, ENDPOINTS, DAEMONS, type PlatformEnv, type EndpointName, type DaemonName } from './platform-env.js';
export { startDaemon, type DaemonProcess } from './daemon-process.js';
export { startPrivateRedis, type PrivateRedis } from './redis-server.js';
export { testSigner, type TestSigner } from './jwt-keys.js';
export { privateDatabase, startPrivatePostgres, DATABASE_URL, type PrivatePostgres } from './postgres.js';
export { until } from './until.js';
export { startTestPlatform, TEST_PASSWORD, type TestPlatform } from './test-platform.js';
export { aaplChainSnapshot } from './option-chain-fixture.js';
