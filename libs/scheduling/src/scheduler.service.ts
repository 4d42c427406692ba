import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { BatchToSchedule, NotificationScheduler } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { JOB_QUEUE, JobName, QueueName, dispatchJobOptions, jobIdFor, type JobPayloads } from './queues.js';

export const QUEUES = Symbol('QUEUES');
export type QueueMap = Record<QueueName, Queue>;

export const ADD_CHUNK = 1000;

/**
 * With `maxRetriesPerRequest: null` a Redis command waits for Redis to come back, however long that
 * takes. A caller (an HTTP request) must not wait with it: after this long it gives up and leaves the
 * batch to the reconciler. The command itself still runs when Redis returns, harmlessly (same job id).
 */
export const ADD_TIMEOUT_MS = 5000;

/**
 * Adds one dispatch job per batch, due when the batch's digest window closes. Ids are deterministic, so
 * an existing job is left as it is. Throws on the first chunk that fails or times out.
 */
export async function addDispatchJobs(
  queue: Queue,
  config: AppConfig,
  batches: readonly BatchToSchedule[],
  now: number = Date.now(),
  timeoutMs: number = ADD_TIMEOUT_MS,
): Promise<void> {
  const opts = dispatchJobOptions(config);
  for (let start = 0; start < batches.length; start += ADD_CHUNK) {
    const jobs = batches.slice(start, start + ADD_CHUNK).map((batch) => {
      const data: JobPayloads[JobName.DispatchBatch] = { batchKey: batch.batchKey };
      return {
        name: JobName.DispatchBatch,
        data,
        opts: { ...opts, jobId: jobIdFor(JobName.DispatchBatch, data), delay: Math.max(0, batch.sendAt.getTime() - now) },
      };
    });
    await withTimeout(queue.addBulk(jobs), timeoutMs, 'adding jobs to Redis');
  }
}

/** The API's and the worker's way to ask for jobs once a transaction has committed. */
@Injectable()
export class BullNotificationScheduler implements NotificationScheduler {
  private readonly logger = new Logger(BullNotificationScheduler.name);

  constructor(
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Never throws: the ledger already holds the rows, and the reconciler re-creates any job missing here. */
  async scheduleBatches(batches: readonly BatchToSchedule[]): Promise<void> {
    if (batches.length === 0) return;
    try {
      await addDispatchJobs(this.queues[JOB_QUEUE[JobName.DispatchBatch]], this.config, batches);
    } catch (err) {
      this.logger.warn({ err, batches: batches.length }, 'could not schedule notification jobs; the reconciler will create them');
    }
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
