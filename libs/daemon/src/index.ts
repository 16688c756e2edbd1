export { runDaemon, type DaemonContext, type DaemonOptions } from './run-daemon.js';
