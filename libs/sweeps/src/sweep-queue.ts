import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { SweepJob } from './sweep-spec.js';

/** The BullMQ queue sweeps' jobs wait in, on the platform's Redis. */
export const SWEEP_QUEUE = 'hft-sweeps';

export interface SweepJobData {
  sweepId: string;
  job: SweepJob;
}

export interface QueueSettings {
  redisUrl: string;
  /** Redis key prefix of the queue (apart from risk's keys). */
  prefix: string;
  /** Attempts per job before it is failed for good (a worker's crash counts as one when its lock expires). */
  attempts: number;
}

/** A Redis connection as BullMQ needs it: commands wait for a reconnect instead of failing. */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}

export class SweepQueue {
  private readonly connection: Redis;
  readonly queue: Queue<SweepJobData>;

  constructor(private readonly s: QueueSettings) {
    this.connection = bullConnection(s.redisUrl);
    this.queue = new Queue<SweepJobData>(SWEEP_QUEUE, { connection: this.connection, prefix: s.prefix });
  }

  /** One BullMQ job per sweep job; its id is the sweep's and the job's key, so adding one twice adds it once. */
  async enqueue(sweepId: string, jobs: readonly SweepJob[]): Promise<void> {
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: job.strategyId,
        data: { sweepId, job },
        opts: { jobId: `${sweepId}.${job.key}`, attempts: this.s.attempts, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: 10_000, removeOnFail: 10_000 },
      })),
    );
  }

  /** Jobs of a sweep that failed for good (every attempt), with why. */
  async failed(sweepId: string): Promise<{ key: string; reason: string; attempts: number }[]> {
    const failed = await this.queue.getFailed(0, 10_000);
    return failed.filter((j) => j.data.sweepId === sweepId).map((j) => ({ key: j.data.job.key, reason: j.failedReason, attempts: j.attemptsMade }));
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
