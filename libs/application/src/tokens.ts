/** Nest injection tokens shared by the api and worker apps. */
export const CLOCK = Symbol('CLOCK');
export const NOTIFICATION_SCHEDULER = Symbol('NOTIFICATION_SCHEDULER');

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A batch of ledger rows that a job must send when its digest window closes. */
export interface BatchToSchedule {
  batchKey: string;
  sendAt: Date;
}

/** The port through which use cases ask for jobs; BullMQ implements it in libs/scheduling. */
export interface NotificationScheduler {
  /** Called after commit; never throws: a job it fails to add, the reconciler re-creates from the ledger. */
  scheduleBatches(batches: readonly BatchToSchedule[]): Promise<void>;
}
