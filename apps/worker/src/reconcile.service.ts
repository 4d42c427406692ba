import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type BatchToSchedule, type Clock } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { batchSendTime } from '#domain';
import { JOB_QUEUE, JobName, OnJob, QUEUES, addDispatchJobs, dispatchJobOptions, jobIdFor, type JobOutcome, type QueueMap } from '#scheduling';

/** A batch this long past its send time with rows still scheduled has lost its job, or its job gave up. */
export const OVERDUE_GRACE_MS = 30_000;
const STATE_CHECKS_AT_ONCE = 100;

export interface ReconcileReport {
  leasesExpired: number;
  batches: number;
  requeued: number;
}

/**
 * Makes Redis agree with the ledger: the ledger says what must be sent, Redis only when. Repairs a
 * crashed worker's claim, a Redis that restarted empty, was flushed or evicted keys, and jobs that gave
 * up while something was down. Safe to run anywhere at any time: the dispatcher's claim prevents doubles.
 */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly db: DataSource,
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @OnJob(JobName.Reconcile)
  async handle(): Promise<JobOutcome> {
    await this.reconcile();
    return 'success';
  }

  async reconcile(): Promise<ReconcileReport> {
    const leasesExpired = await this.expireLeases();
    const now = this.clock.now().getTime();
    const batches = await this.openBatches();
    const queue = this.queues[JOB_QUEUE[JobName.DispatchBatch]];
    // Creates the missing jobs; an id that exists is left alone.
    await addDispatchJobs(queue, this.config, batches, now);
    const overdue = batches.filter((b) => b.sendAt.getTime() < now - OVERDUE_GRACE_MS);
    let requeued = 0;
    for (let start = 0; start < overdue.length; start += STATE_CHECKS_AT_ONCE) {
      const results = await Promise.all(overdue.slice(start, start + STATE_CHECKS_AT_ONCE).map((b) => this.requeueIfFinished(b.batchKey)));
      requeued += results.filter(Boolean).length;
    }
    const report = { leasesExpired, batches: batches.length, requeued };
    if (leasesExpired > 0 || requeued > 0) this.logger.warn(report, 'reconciled the queue with the ledger');
    else this.logger.debug(report, 'reconciled');
    return report;
  }

  /** A worker that crashed mid-send leaves rows `sending`; after the lease they may be sent again. */
  private async expireLeases(): Promise<number> {
    const [{ count }]: { count: number }[] = await this.db.query(
      `WITH released AS (
         UPDATE notifications
            SET status = 'scheduled', claimed_at = NULL, updated_at = now(),
                last_error = 'lease expired: the worker sending this stopped before recording the result'
          WHERE status = 'sending' AND claimed_at < now() - $1 * interval '1 millisecond'
          RETURNING 1)
       SELECT count(*)::int AS count FROM released`,
      [this.config.sendLeaseMs],
    );
    return count;
  }

  private async openBatches(): Promise<BatchToSchedule[]> {
    const rows: { batch_key: string }[] = await this.db.query(`SELECT DISTINCT batch_key FROM notifications WHERE status = 'scheduled'`);
    return rows.map((r) => ({ batchKey: r.batch_key, sendAt: batchSendTime(r.batch_key, this.config.digestWindowMs) }));
  }

  /**
   * The job of an overdue batch is still kept as completed or failed (an id that exists makes a re-add a
   * no-op), or vanished just now: replace it with one that runs at once. Waiting, delayed (a retry's
   * backoff) and active jobs are left to run.
   */
  private async requeueIfFinished(batchKey: string): Promise<boolean> {
    const queue = this.queues[JOB_QUEUE[JobName.DispatchBatch]];
    const data = { batchKey };
    const jobId = jobIdFor(JobName.DispatchBatch, data);
    const state = await queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return false;
    await queue.remove(jobId);
    await queue.add(JobName.DispatchBatch, data, { ...dispatchJobOptions(this.config), jobId });
    return true;
  }
}
