// Queue and job names (one enum each), the typed payload of each job, deterministic job ids and job options.
import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '#config';
import { DAY_SECONDS, LONDON } from '#domain';

/**
 * Queue names are Redis key names. Renaming a value strands every job already queued under the old
 * name (no worker listens there any more): add a new value and drain the old queue instead.
 */
export enum QueueName {
  Notifications = 'notifications',
  Maintenance = 'maintenance',
  Audit = 'audit',
  Webhooks = 'webhooks',
}

/** Job names route a job to its handler; like queue names they are stored with queued jobs. */
export enum JobName {
  DispatchDue = 'dispatch-due',
  Reconcile = 'reconcile',
  WeeklyOverdueSummary = 'weekly-overdue-summary',
  SequenceAudit = 'sequence-audit',
  DeliverWebhook = 'deliver-webhook',
}

/** What each job carries: ids only. The ledger holds the facts, read fresh when the job runs. */
export interface JobPayloads {
  /**
   * Sends every batch due by `slot` (epoch ms, a digest window boundary). `drain` 0 is the scheduled
   * job; 1.. are helpers it adds when a burst is big enough for other workers to share.
   */
  [JobName.DispatchDue]: { slot: number; drain: number; trace?: Record<string, string> };
  [JobName.Reconcile]: Record<string, never>;
  [JobName.WeeklyOverdueSummary]: Record<string, never>;
  /** Chains every audit event committed so far (one sequencer at a time; see sequenceAuditEvents). */
  [JobName.SequenceAudit]: Record<string, never>;
  /** One attempt at one webhook delivery: `attempt` is how many were made before it (the ledger's `attempts` when it was scheduled). */
  [JobName.DeliverWebhook]: { deliveryId: string; attempt: number; trace?: Record<string, string> };
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.DispatchDue]: QueueName.Notifications,
  [JobName.Reconcile]: QueueName.Maintenance,
  [JobName.WeeklyOverdueSummary]: QueueName.Maintenance,
  [JobName.SequenceAudit]: QueueName.Audit,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
};

/** Job scheduler ids (BullMQ upserts by id, so every worker may register them at start-up). */
export const SCHEDULER_ID = {
  reconcile: 'reconcile',
  weeklyOverdueSummary: 'weekly-overdue-summary',
  sequenceAudit: 'sequence-audit',
} as const;

/** The queue each job scheduler lives in. */
export const SCHEDULER_QUEUE: Record<keyof typeof SCHEDULER_ID, QueueName> = {
  reconcile: QueueName.Maintenance,
  weeklyOverdueSummary: QueueName.Maintenance,
  sequenceAudit: QueueName.Audit,
};

/**
 * The sequencer's own schedule, behind the kicks: an event whose kick was lost (Redis away, or a kick
 * that fell on a run already past reading) is chained this late at most.
 */
export const AUDIT_SEQUENCE_EVERY_MS = 5_000;

/** Kicks within this long of each other, in one process, become one job. */
export const AUDIT_KICK_COALESCE_MS = 100;

/** A kick's job id: one per process-independent time bucket, so kicks from every process in a bucket share a job. */
export function auditKickJobId(now: number): string {
  return `${JobName.SequenceAudit}.kick.${Math.floor(now / AUDIT_KICK_COALESCE_MS)}`;
}

export const WEEKLY_SUMMARY_CRON = { pattern: '0 8 * * 1', tz: LONDON } as const;

/**
 * One job per slot and drain, whoever adds it: adding an id that already exists is a no-op, so the API,
 * the reconciler and a retrying scheduler can all add the same slot safely. BullMQ ids must not contain ':'.
 */
export function jobIdFor(name: JobName.DispatchDue, payload: JobPayloads[JobName.DispatchDue]): string {
  return `${name}.${payload.slot}.${payload.drain}`;
}

const SEVEN_DAYS_S = 7 * DAY_SECONDS;

/** Failed jobs are kept a while for the dashboard, bounded so a long outage cannot fill Redis. */
export const REMOVE_ON_FAIL = { age: SEVEN_DAYS_S, count: 5000 } as const;

/**
 * Completed dispatch jobs are dropped at once: the ledger is the record, and a completed job kept under
 * its id would turn a later re-add of that slot (a row that joined it late) into a silent no-op.
 */
export const DISPATCH_REMOVE_ON_COMPLETE = true;

/** Maintenance runs leave a short trail for the dashboard. */
export const MAINTENANCE_REMOVE_ON_COMPLETE = { count: 100 } as const;

/** Retries with exponential backoff; failed jobs kept a while, bounded. */
function retriedJobOptions(config: AppConfig, removeOnComplete: JobsOptions['removeOnComplete']): JobsOptions {
  return {
    attempts: config.env.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.env.JOB_BACKOFF_MS },
    removeOnComplete,
    removeOnFail: REMOVE_ON_FAIL,
  };
}

export const dispatchJobOptions = (config: AppConfig): JobsOptions => retriedJobOptions(config, DISPATCH_REMOVE_ON_COMPLETE);

export const maintenanceJobOptions = (config: AppConfig): JobsOptions => retriedJobOptions(config, MAINTENANCE_REMOVE_ON_COMPLETE);

/** Sequencing is not retried: the next kick or the schedule a second later does the same work. */
export const auditJobOptions: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: REMOVE_ON_FAIL };

/** One job per delivery and attempt: the API, a retry and the reconciler adding the same attempt make one job. */
export function webhookJobId(payload: JobPayloads[JobName.DeliverWebhook]): string {
  return `${JobName.DeliverWebhook}.${payload.deliveryId}.${payload.attempt}`;
}

/**
 * A delivery job is not retried by BullMQ: the handler records every outcome in the delivery ledger and adds
 * the next attempt's job itself; a job that failed (database away) is found again by the reconciler.
 */
export const webhookJobOptions: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: REMOVE_ON_FAIL };
