// The reconciler's webhook half: frees claims of crashed workers and re-creates the jobs Redis lost, from the delivery
// ledger.
import { Inject, Injectable, Logger } from '@nestjs/common';
import { toJobs } from '#application';
import { APP_CONFIG, type AppConfig } from '#config';
import { DAY_MS } from '#domain';
import { reconcilerRepairs } from '#observability';
import { Storage } from '#persistence';
import { JOB_QUEUE, JobName, QUEUES, addWebhookJobs, webhookJobId, type QueueMap } from '#scheduling';

/** A delivery this late with no job running it has lost its job. */
const LATE_MS = 30_000;
/** Deliveries made sure of per run (oldest first); a backlog larger than this is worked through run by run. */
const PER_RUN = 10_000;

export interface WebhookRepairReport {
  leasesExpired: number;
  jobs: number;
  late: number;
}

@Injectable()
export class WebhookReconciler {
  private readonly logger = new Logger('WebhookReconciler');

  constructor(
    private readonly storage: Storage,
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async repair(now: Date): Promise<WebhookRepairReport> {
    const leasesExpired = await this.storage.pool.webhooks.releaseExpiredClaims(
      now,
      Math.max(this.config.sendLeaseMs, 2 * this.config.env.WEBHOOK_TIMEOUT_MS),
    );
    const waiting = await this.storage.pool.webhooks.waiting(new Date(now.getTime() + DAY_MS), PER_RUN);
    const queue = this.queues[JOB_QUEUE[JobName.DeliverWebhook]];
    let late = 0;
    for (const delivery of waiting) {
      if (delivery.nextAttemptAt.getTime() >= now.getTime() - LATE_MS) continue;
      // Its job may sit as failed (the database was away) or completed: an add under that id would be a no-op.
      const jobId = webhookJobId({ deliveryId: delivery.id, attempt: delivery.attempts });
      const state = await queue.getJobState(jobId);
      if (state === 'waiting' || state === 'active' || state === 'delayed' || state === 'prioritized') continue;
      if (state === 'failed' || state === 'completed') await queue.remove(jobId);
      late += 1;
    }
    await addWebhookJobs(queue, toJobs(waiting), now.getTime());
    if (leasesExpired > 0) reconcilerRepairs.inc({ kind: 'webhook_lease_expired' }, leasesExpired);
    if (late > 0) reconcilerRepairs.inc({ kind: 'webhook_job_recreated' }, late);
    const report = { leasesExpired, jobs: waiting.length, late };
    if (leasesExpired > 0 || late > 0) this.logger.warn(report, 'reconciled webhook jobs with the delivery ledger');
    return report;
  }
}
