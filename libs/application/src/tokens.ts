/** Nest injection tokens shared by the api and worker apps. */
export const CLOCK = Symbol('CLOCK');
export const NOTIFICATION_SCHEDULER = Symbol('NOTIFICATION_SCHEDULER');
export const AUDIT_SEQUENCER = Symbol('AUDIT_SEQUENCER');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Something in the ledger that falls due in `slot`: its slot (slotOf); an instant between slots counts as the next
 * slot (slotAtOrAfter).
 */
export interface DueWork {
  slot: Date;
}

/** A batch of ledger rows that must go in its slot, when its digest window closes. */
export interface BatchToSchedule extends DueWork {
  batchKey: string;
}

/** The port through which use cases ask for jobs; BullMQ implements it in libs/scheduling. */
export interface NotificationScheduler {
  /**
   * Adds one delayed dispatch job per slot (slotAtOrAfter) in which this work falls due; a slot's job that
   * exists already is left as it is. Called after commit; never throws: a job it fails to add, the
   * reconciler re-creates from the ledger.
   */
  addSlotJobs(due: readonly DueWork[]): Promise<void>;
}

/** The port through which a committed audit event asks the sequencer (worker) to chain it soon. */
export interface AuditSequencerKick {
  /** Called after commit; never throws and never waits: the sequencer's own schedule chains it anyway. */
  kick(): void;
}

export const EVIDENCE_SCANS = Symbol('EVIDENCE_SCANS');

/** The port through which uploads ask the worker to scan files; BullMQ implements it in libs/scheduling. */
export interface EvidenceScanQueue {
  /**
   * One scan job per file (its id derived from the file's). Called after commit; never throws: a job it
   * fails to add, the worker's catch-up finds from the files still pending.
   */
  scanSoon(fileIds: readonly string[]): Promise<void>;
}

export const WEBHOOK_SCHEDULER = Symbol('WEBHOOK_SCHEDULER');

/** A webhook delivery that falls due: its job is `deliver-webhook.<id>.<attempts>`, delayed to `at`. */
export interface DueDeliveryJob {
  id: string;
  attempts: number;
  at: Date;
}

/** The port through which committed webhook deliveries ask for their jobs; BullMQ implements it in libs/scheduling. */
export interface WebhookScheduler {
  /** Called after commit; never throws: a job it fails to add, the reconciler re-creates from the delivery ledger. */
  addDeliveryJobs(due: readonly DueDeliveryJob[]): Promise<void>;
}
