export { runDaemon, type DaemonContext, type DaemonOptions } from './run-daemon.js';
export { daemonArgs, type DaemonArgs } from './daemon-args.js';
export { applyScheduling, setRealtimePolicy, type SchedulingResult } from './realtime-scheduling.js';
