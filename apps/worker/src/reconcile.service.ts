// The reconciler: makes Redis's jobs agree with the ledger, and releases the claims of crashed workers.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLOCK, type Clock } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { DAY_MS, batchWindowStart, slotOf } from '#domain';
import { Storage } from '#persistence';
import { JOB_QUEUE, JobName, OnJob, QUEUES, addDrainJobs, jobIdFor, type JobOutcome, type QueueMap } from '#scheduling';
import { reconcilerRepairs } from '#observability';
import { WebhookReconciler } from './webhooks/webhook-reconciler.js';

/** Work this long past its slot with rows still scheduled has lost its job, or its job gave up. */
export const OVERDUE_GRACE_MS = 30_000;
/** Each run makes sure of the jobs for this far ahead; work further out gets its job from a later run. */
export const RECONCILE_HORIZON_MS = DAY_MS;

export interface ReconcileReport {
  leasesExpired: number;
  /** Slots (window boundaries) within the horizon whose job was made sure of. */
  slots: number;
  /** Rows more than the grace late, sent now by one catch-up drain. */
  late: number;
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
    private readonly storage: Storage,
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly webhooks: WebhookReconciler,
  ) {}

  @OnJob(JobName.Reconcile)
  async handle(): Promise<JobOutcome> {
    await this.reconcile();
    return 'success';
  }

  async reconcile(): Promise<ReconcileReport> {
    const leasesExpired = await this.expireLeases();
    const now = this.clock.now().getTime();
    const { slots, late } = await this.openWork(now);
    // Creates the missing jobs; an id that exists is left alone.
    await addDrainJobs(
      this.queue(),
      this.config,
      [...slots].map((slot) => ({ slot, drain: 0 })),
      now,
    );
    if (late > 0) await this.catchUp(now);
    if (leasesExpired > 0) reconcilerRepairs.inc({ kind: 'lease_expired' }, leasesExpired);
    if (late > 0) reconcilerRepairs.inc({ kind: 'late_notifications' }, late);
    await this.webhooks.repair(new Date(now));
    const report = { leasesExpired, slots: slots.size, late };
    if (leasesExpired > 0 || late > 0) this.logger.warn(report, 'reconciled the queue with the ledger');
    else this.logger.debug(report, 'reconciled');
    return report;
  }

  /** A worker that crashed mid-send leaves rows `sending`; after the lease they may be sent again. */
  private expireLeases(): Promise<number> {
    return this.storage.pool.ledger.releaseExpiredClaims(
      this.config.sendLeaseMs,
      'lease expired: the worker sending this stopped before recording the result',
    );
  }

  /** The slots in which scheduled work falls due (its batch's, or its retry's: slotOf), and how much is late. */
  private async openWork(now: number): Promise<{ slots: Set<number>; late: number }> {
    const windowMs = Math.max(1, this.config.digestWindowMs);
    const groups = await this.storage.pool.ledger.waitingByWindow(windowMs, new Date(now + RECONCILE_HORIZON_MS));
    const slots = new Set<number>();
    let late = 0;
    for (const group of groups) {
      const slot = slotOf(group, windowMs).getTime();
      if (slot < now - OVERDUE_GRACE_MS) late += group.rows;
      else slots.add(slot);
    }
    return { slots, late };
  }

  /**
   * One drain, at once, for everything late: any drain sends all that is due. Its id is the current
   * window's; a job kept under it as failed (or completed) would make the add a no-op, so it goes first.
   */
  private async catchUp(now: number): Promise<void> {
    const data = { slot: batchWindowStart(new Date(now), this.config.digestWindowMs).getTime(), drain: 0 };
    const jobId = jobIdFor(JobName.DispatchDue, data);
    const state = await this.queue().getJobState(jobId);
    if (state === 'failed' || state === 'completed') await this.queue().remove(jobId);
    await addDrainJobs(this.queue(), this.config, [data], now);
  }

  private queue() {
    return this.queues[JOB_QUEUE[JobName.DispatchDue]];
  }
}
