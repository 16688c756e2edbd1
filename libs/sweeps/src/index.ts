export { loadSweepSpec, sweepJobs, sweepSpecSchema, type SweepSpec, type SweepJob, type FileRef } from './sweep-spec.js';
export { runMetrics, type RunMetrics } from './run-metrics.js';
export { SweepStore, SWEEP_MIGRATIONS, SWEEPS_CHANNEL, type RunRow } from './sweep-store.js';
export { SweepQueue, SWEEP_QUEUE, bullConnection, type SweepJobData, type QueueSettings } from './sweep-queue.js';
export { startSweepWorker, runSweepJob, type WorkerSettings, type JobOutcome, type SweepWorker } from './sweep-worker.js';
export * from './errors.js';
export { sweepReport, runReportHref, type ReportRun } from './sweep-report.js';
export { runReport, runReportOf, type RunReportData } from './run-report.js';
