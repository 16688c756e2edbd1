export { Supervisor, ERR_NOT_READY, type DaemonSpec, type Managed, type SupervisorOptions } from './supervisor.js';
export { appMain } from './app-main.js';
export { DAEMONS, enabledDaemons, httpPort, platformSpecs, startPlatform, type DaemonName, type PlatformOptions } from './platform.js';
export { ensureSecrets } from './secrets.js';
