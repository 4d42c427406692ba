// BullMQ behind the application's ports: one delayed dispatch job per slot, and the audit sequencer's kicks.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type {
  AuditSequencerKick,
  DueDeliveryJob,
  DueWork,
  EvidenceScanQueue,
  NotificationScheduler,
  WebhookScheduler,
} from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { traceField } from '#observability';
import { slotAtOrAfter } from '#domain';
import {
  AUDIT_KICK_COALESCE_MS,
  JOB_QUEUE,
  JobName,
  QueueName,
  auditJobOptions,
  auditKickJobId,
  dispatchJobOptions,
  jobIdFor,
  scanJobId,
  scanJobOptions,
  WEBHOOK_JOB_BATCH,
  webhookJobId,
  webhookJobOptions,
  type JobPayloads,
} from './queues.js';

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
 * Adds the dispatch job of each slot (slotAtOrAfter: the window boundary at or after it) in which
 * something falls due: thousands of batches due together share one job. Ids are deterministic, so an existing job is
 * left as it is.
 * Throws on the first chunk that fails or times out.
 */
export async function addDispatchJobs(
  queue: Queue,
  config: AppConfig,
  due: readonly DueWork[],
  now: number = Date.now(),
  timeoutMs: number = ADD_TIMEOUT_MS,
): Promise<void> {
  const slots = new Set(due.map((d) => slotAtOrAfter(d.slot, config.digestWindowMs).getTime()));
  await addDrainJobs(
    queue,
    config,
    [...slots].map((slot) => ({ slot, drain: 0, ...traceField() })),
    now,
    timeoutMs,
  );
}

/** Adds the given drains, each due at its slot (at once if that has passed). */
export async function addDrainJobs(
  queue: Queue,
  config: AppConfig,
  drains: readonly JobPayloads[JobName.DispatchDue][],
  now: number = Date.now(),
  timeoutMs: number = ADD_TIMEOUT_MS,
): Promise<void> {
  const opts = dispatchJobOptions(config);
  for (let start = 0; start < drains.length; start += ADD_CHUNK) {
    const jobs = drains.slice(start, start + ADD_CHUNK).map((data) => ({
      name: JobName.DispatchDue,
      data,
      opts: { ...opts, jobId: jobIdFor(JobName.DispatchDue, data), delay: Math.max(0, data.slot - now) },
    }));
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

  /**
   * One delayed job per slot. Never throws: the ledger already holds the rows, and the reconciler re-creates any job
   * missing here.
   */
  async addSlotJobs(due: readonly DueWork[]): Promise<void> {
    if (due.length === 0) return;
    try {
      await addDispatchJobs(this.queues[JOB_QUEUE[JobName.DispatchDue]], this.config, due);
    } catch (err) {
      this.logger.warn(
        { err, due: due.length },
        'could not schedule notification jobs; the reconciler will create them',
      );
    }
  }
}

/**
 * Adds the delayed jobs of delivery attempts. With `batch` > 1, attempts due at the same moment (planned together)
 * share a job of up to `batch` deliveries, named after its first (`deliver-webhook.<first>.<attempt>`); the
 * reconciler adds one job per delivery (the default), so that the ids it looks for are the ids it adds.
 * Ids are deterministic: an existing job is left as it is. Throws on the first chunk that fails.
 */
export async function addWebhookJobs(
  queue: Queue,
  due: readonly DueDeliveryJob[],
  now: number = Date.now(),
  timeoutMs: number = ADD_TIMEOUT_MS,
  batch = 1,
): Promise<void> {
  const groups = new Map<string, DueDeliveryJob[][]>();
  for (const d of due) {
    const key = `${d.attempts}|${d.at.getTime()}`;
    const chunks = groups.get(key) ?? groups.set(key, [[]]).get(key)!;
    if (chunks[chunks.length - 1].length >= batch) chunks.push([]);
    chunks[chunks.length - 1].push(d);
  }
  const all = [...groups.values()].flat();
  for (let start = 0; start < all.length; start += ADD_CHUNK) {
    const jobs = all.slice(start, start + ADD_CHUNK).map((members) => {
      const [first] = members;
      // The trace of the change that planned it travels with the job (OpenTelemetry; empty when tracing is off).
      const data: JobPayloads[JobName.DeliverWebhook] = {
        deliveryId: first.id,
        attempt: first.attempts,
        ...(members.length > 1 ? { deliveryIds: members.map((m) => m.id) } : {}),
        ...traceField(),
      };
      return {
        name: JobName.DeliverWebhook,
        data,
        opts: { ...webhookJobOptions, jobId: webhookJobId(data), delay: Math.max(0, first.at.getTime() - now) },
      };
    });
    await withTimeout(queue.addBulk(jobs), timeoutMs, 'adding webhook jobs to Redis');
  }
}

/** The webhook deliveries' jobs, asked for once their transaction has committed. */
@Injectable()
export class BullWebhookScheduler implements WebhookScheduler {
  private readonly logger = new Logger(BullWebhookScheduler.name);

  constructor(@Inject(QUEUES) private readonly queues: QueueMap) {}

  /** Never throws: the ledger holds the deliveries, and the reconciler re-creates any job missing here. */
  async addDeliveryJobs(due: readonly DueDeliveryJob[]): Promise<void> {
    if (due.length === 0) return;
    try {
      await addWebhookJobs(
        this.queues[JOB_QUEUE[JobName.DeliverWebhook]],
        due,
        Date.now(),
        ADD_TIMEOUT_MS,
        WEBHOOK_JOB_BATCH,
      );
    } catch (err) {
      this.logger.warn({ err, due: due.length }, 'could not schedule webhook jobs; the reconciler will create them');
    }
  }
}

/**
 * Asks the worker to sequence soon after audit events commit. Kicks in one process are coalesced into
 * at most one job per AUDIT_KICK_COALESCE_MS, so a busy API adds a handful of jobs a second, not one per request.
 */
@Injectable()
export class BullAuditSequencerKick implements AuditSequencerKick {
  private readonly logger = new Logger(BullAuditSequencerKick.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(@Inject(QUEUES) private readonly queues: QueueMap) {}

  kick(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const jobId = auditKickJobId(Date.now());
      withTimeout(
        this.queues[JOB_QUEUE[JobName.SequenceAudit]].add(JobName.SequenceAudit, {}, { ...auditJobOptions, jobId }),
        ADD_TIMEOUT_MS,
        'kicking the audit sequencer',
      ).catch((err: unknown) =>
        this.logger.debug({ err }, 'could not kick the audit sequencer; its schedule will chain the events'),
      );
    }, AUDIT_KICK_COALESCE_MS);
    this.timer.unref();
  }

  /** No kicks once the queues are closing. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
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

/** Scan jobs for uploaded files, one per file (deterministic id); the worker's hourly catch-up re-adds any lost. */
@Injectable()
export class BullEvidenceScanQueue implements EvidenceScanQueue {
  private readonly logger = new Logger(BullEvidenceScanQueue.name);

  constructor(
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async scanSoon(fileIds: readonly string[]): Promise<void> {
    if (fileIds.length === 0) return;
    const opts = scanJobOptions(this.config);
    const jobs = fileIds.map((fileId) => ({
      name: JobName.ScanEvidence,
      data: { fileId },
      opts: { ...opts, jobId: scanJobId(fileId) },
    }));
    try {
      await withTimeout(
        this.queues[JOB_QUEUE[JobName.ScanEvidence]].addBulk(jobs),
        ADD_TIMEOUT_MS,
        'adding scan jobs to Redis',
      );
    } catch (err) {
      this.logger.warn({ err, files: fileIds.length }, 'could not queue scans; the hourly catch-up will');
    }
  }
}
