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
  /** Malware scans of evidence files: a queue of their own, so a scanner outage delays nothing else. */
  Evidence = 'evidence',
  Webhooks = 'webhooks',
}

/** Job names route a job to its handler; like queue names they are stored with queued jobs. */
export enum JobName {
  DispatchDue = 'dispatch-due',
  Reconcile = 'reconcile',
  WeeklyOverdueSummary = 'weekly-overdue-summary',
  SequenceAudit = 'sequence-audit',
  ScanEvidence = 'scan-evidence',
  EvidenceHousekeeping = 'evidence-housekeeping',
  DeliverWebhook = 'deliver-webhook',
  SendAccountEmails = 'send-account-emails',
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
  /** Scans one evidence file with clamd (the file's row holds the rest). */
  [JobName.ScanEvidence]: { fileId: string };
  /** Deletes files past EVIDENCE_RETENTION and re-queues scans of files left pending. */
  [JobName.EvidenceHousekeeping]: Record<string, never>;
  /**
   * One attempt at one webhook delivery: `attempt` is how many were made before it (the ledger's `attempts` when
   * it was scheduled); or at every delivery of `deliveryIds` (planned together; `deliveryId` is the first).
   */
  [JobName.DeliverWebhook]: {
    deliveryId: string;
    attempt: number;
    deliveryIds?: string[];
    trace?: Record<string, string>;
  };
  /** Sends every invitation and password-reset email waiting in account_links (on each kick and on a schedule). */
  [JobName.SendAccountEmails]: Record<string, never>;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.DispatchDue]: QueueName.Notifications,
  [JobName.Reconcile]: QueueName.Maintenance,
  [JobName.WeeklyOverdueSummary]: QueueName.Maintenance,
  [JobName.SequenceAudit]: QueueName.Audit,
  [JobName.ScanEvidence]: QueueName.Evidence,
  [JobName.EvidenceHousekeeping]: QueueName.Maintenance,
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.SendAccountEmails]: QueueName.Maintenance,
};

/** Job scheduler ids (BullMQ upserts by id, so every worker may register them at start-up). */
export const SCHEDULER_ID = {
  reconcile: 'reconcile',
  weeklyOverdueSummary: 'weekly-overdue-summary',
  sequenceAudit: 'sequence-audit',
  evidenceHousekeeping: 'evidence-housekeeping',
  accountEmails: 'send-account-emails',
} as const;

/** The queue each job scheduler lives in. */
export const SCHEDULER_QUEUE: Record<keyof typeof SCHEDULER_ID, QueueName> = {
  reconcile: QueueName.Maintenance,
  weeklyOverdueSummary: QueueName.Maintenance,
  sequenceAudit: QueueName.Audit,
  evidenceHousekeeping: QueueName.Maintenance,
  accountEmails: QueueName.Maintenance,
};

/** Evidence housekeeping (retention, scan catch-up) runs this often. */
export const EVIDENCE_HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

/** One scan job per file, whoever adds it (the upload, the catch-up): an id that exists already is a no-op. */
export function scanJobId(fileId: string): string {
  return `${JobName.ScanEvidence}.${fileId}`;
}

/** Scans retry SCAN_ATTEMPTS times with exponential backoff; the last failure marks the file unscanned. */
export const scanJobOptions = (config: AppConfig): JobsOptions => ({
  attempts: config.evidence.scanAttempts,
  backoff: { type: 'exponential', delay: config.env.JOB_BACKOFF_MS },
  removeOnComplete: true,
  removeOnFail: REMOVE_ON_FAIL,
});

/** The account email sender's schedule, behind the kicks: an email whose kick was lost goes out this late at most. */
export const ACCOUNT_EMAILS_EVERY_MS = 30_000;

/** A kick's job id, one per time bucket (as for the audit sequencer), so a burst of kicks is one job. */
export function accountEmailsKickJobId(now: number): string {
  return `${JobName.SendAccountEmails}.kick.${Math.floor(now / AUDIT_KICK_COALESCE_MS)}`;
}

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

export const dispatchJobOptions = (config: AppConfig): JobsOptions =>
  retriedJobOptions(config, DISPATCH_REMOVE_ON_COMPLETE);

export const maintenanceJobOptions = (config: AppConfig): JobsOptions =>
  retriedJobOptions(config, MAINTENANCE_REMOVE_ON_COMPLETE);

/** Sequencing is not retried: the next kick or the schedule a second later does the same work. */
export const auditJobOptions: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: REMOVE_ON_FAIL };

/** Deliveries planned together share a job up to this many (each is still claimed, sent and recorded on its own). */
export const WEBHOOK_JOB_BATCH = 100;

/** One job per delivery and attempt: the API, a retry and the reconciler adding the same attempt make one job. */
export function webhookJobId(payload: JobPayloads[JobName.DeliverWebhook]): string {
  return `${JobName.DeliverWebhook}.${payload.deliveryId}.${payload.attempt}`;
}

/**
 * A delivery job is not retried by BullMQ: the handler records every outcome in the delivery ledger and adds
 * the next attempt's job itself; a job that failed (database away) is found again by the reconciler.
 */
export const webhookJobOptions: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: REMOVE_ON_FAIL };
