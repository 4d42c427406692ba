// Starts the BullMQ workers once everything they need is up, keeps the job schedulers in Redis, and stops the workers
// first.
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { Mailer } from '#notifications';
import { SpanKind, inSpan, withTraceCarrier } from '#observability';
import {
  AUDIT_SEQUENCE_EVERY_MS,
  EVIDENCE_HOUSEKEEPING_EVERY_MS,
  JobName,
  QUEUES,
  QueueName,
  SCHEDULER_ID,
  ACCOUNT_EMAILS_EVERY_MS,
  SCHEDULER_QUEUE,
  SCHEDULING_OPTIONS,
  SCHEDULING_REDIS,
  WEEKLY_SUMMARY_CRON,
  auditJobOptions,
  discoverJobHandlers,
  maintenanceJobOptions,
  type JobHandler,
  type JobOutcome,
  type QueueMap,
  type SchedulingOptions,
} from '#scheduling';
import { DispatchService } from './dispatch/dispatch.service.js';
import { ReconcileService } from './reconcile.service.js';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service.js';

/**
 * Starts the BullMQ workers once everything they need is up, and stops them first on shutdown, so that
 * jobs in flight finish while the database, the mailer and Redis are still there.
 */
@Injectable()
export class WorkerRunner implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private workers: Worker[] = [];
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reconciler: ReconcileService,
    private readonly dispatcher: DispatchService,
    private readonly webhookDelivery: WebhookDeliveryService,
    private readonly mailer: Mailer,
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(SCHEDULING_REDIS) private readonly redis: Redis,
    @Inject(SCHEDULING_OPTIONS) private readonly options: SchedulingOptions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Refuse to start before touching anything if some job could not be run.
    const handlers = discoverJobHandlers(this.discovery, this.scanner);
    await this.checkEvictionPolicy();
    try {
      await this.reconciler.reconcile();
    } catch (err) {
      this.logger.error({ err }, 'start-up reconcile failed; the next scheduled run will retry');
    }
    await this.registerSchedulers();
    this.watchdog = setInterval(() => void this.ensureSchedulers(), this.config.reconcileEveryMs);
    this.workers = [
      this.startWorker(QueueName.Notifications, handlers, this.config.env.WORKER_CONCURRENCY),
      this.startWorker(QueueName.Maintenance, handlers, 1),
      // One at a time per process; across processes the sequencer's advisory lock keeps it to one.
      this.startWorker(QueueName.Audit, handlers, 1),
      // Scans stream whole files through clamd: a couple at a time per process.
      this.startWorker(QueueName.Evidence, handlers, 2),
      this.startWorker(QueueName.Webhooks, handlers, this.config.env.WEBHOOK_CONCURRENCY),
    ];
    this.logger.log(
      { queues: Object.values(QueueName), concurrency: this.config.env.WORKER_CONCURRENCY },
      'worker started',
    );
  }

  /** Waits for the jobs in flight (a send and its ledger update) to finish. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.watchdog);
    if (this.workers.length === 0) return;
    this.dispatcher.stopDraining();
    this.webhookDelivery.stop();
    this.logger.log('stopping: waiting for the jobs in flight');
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers = [];
    this.logger.log('workers stopped');
  }

  beforeApplicationShutdown(): void {
    this.mailer.close();
  }

  /** Evicted BullMQ keys are lost jobs (the reconciler repairs, late); Redis must keep them. */
  private async checkEvictionPolicy(): Promise<void> {
    try {
      const reply = (await this.redis.config('GET', 'maxmemory-policy')) as string[];
      const policy = reply[1];
      if (policy !== 'noeviction') {
        this.logger.warn(
          { maxmemoryPolicy: policy },
          `REDIS maxmemory-policy IS '${policy}', NOT 'noeviction': under memory pressure Redis will silently delete queued jobs. ` +
            'Set maxmemory-policy noeviction. Until then the reconciler re-creates lost jobs, up to RECONCILE_EVERY late.',
        );
      }
    } catch (err) {
      this.logger.warn(
        { err },
        "could not read Redis's maxmemory-policy (CONFIG may be disabled); make sure it is 'noeviction'",
      );
    }
  }

  /** Upserted by id: every worker registers the same schedulers, and BullMQ keeps one of each. */
  private async registerSchedulers(): Promise<void> {
    const maintenance = this.queues[QueueName.Maintenance];
    const opts = maintenanceJobOptions(this.config);
    await maintenance.upsertJobScheduler(
      SCHEDULER_ID.reconcile,
      { every: this.config.reconcileEveryMs },
      { name: JobName.Reconcile, data: {}, opts },
    );
    await maintenance.upsertJobScheduler(
      SCHEDULER_ID.weeklyOverdueSummary,
      { ...WEEKLY_SUMMARY_CRON },
      { name: JobName.WeeklyOverdueSummary, data: {}, opts },
    );
    await this.queues[QueueName.Audit].upsertJobScheduler(
      SCHEDULER_ID.sequenceAudit,
      { every: AUDIT_SEQUENCE_EVERY_MS },
      { name: JobName.SequenceAudit, data: {}, opts: auditJobOptions },
    );
    await maintenance.upsertJobScheduler(
      SCHEDULER_ID.evidenceHousekeeping,
      { every: EVIDENCE_HOUSEKEEPING_EVERY_MS },
      { name: JobName.EvidenceHousekeeping, data: {}, opts },
    );
    await maintenance.upsertJobScheduler(
      SCHEDULER_ID.accountEmails,
      { every: ACCOUNT_EMAILS_EVERY_MS },
      { name: JobName.SendAccountEmails, data: {}, opts: { ...opts, attempts: 1 } },
    );
  }

  /**
   * The schedulers live in Redis too: after Redis lost its data nothing would run the reconciler again
   * until a worker restarted. Every worker checks for them, and puts them back (which also reconciles
   * at once, as an `every` scheduler's first run is immediate).
   */
  async ensureSchedulers(): Promise<void> {
    try {
      const found = await Promise.all(
        (Object.keys(SCHEDULER_ID) as Array<keyof typeof SCHEDULER_ID>).map((key) =>
          this.queues[SCHEDULER_QUEUE[key]].getJobScheduler(SCHEDULER_ID[key]),
        ),
      );
      if (found.every(Boolean)) return;
      this.logger.warn(
        'job schedulers are missing from Redis (restarted empty, flushed or evicted?): registering them again',
      );
      await this.registerSchedulers();
    } catch (err) {
      this.logger.warn({ err }, 'could not check the job schedulers');
    }
  }

  private startWorker(queue: QueueName, handlers: Map<JobName, JobHandler>, concurrency: number): Worker {
    const processor = async (job: Job): Promise<JobOutcome> => {
      const handler = handlers.get(job.name as JobName);
      // A job nobody here knows (another version's?) would fail the same way on every retry.
      if (!handler) throw new UnrecoverableError(`no handler for job '${job.name}'`);
      // A job carries the trace of the change that asked for it: its span continues that trace.
      const carried = (job.data as { trace?: Record<string, string> } | undefined)?.trace;
      return withTraceCarrier(carried, () =>
        inSpan(
          `job ${job.name}`,
          { 'messaging.system': 'bullmq', 'messaging.destination.name': queue },
          () => handler(job as Parameters<JobHandler>[0]),
          SpanKind.CONSUMER,
        ),
      );
    };
    const worker = new Worker(queue, processor, { connection: this.redis, prefix: this.options.prefix, concurrency });
    const describe = (job: Job) => ({ queue, jobId: job.id, job: job.name });
    // The sequencer runs every few seconds and on every kick: its runs are logged at debug, not info.
    const completed = queue === QueueName.Audit ? 'debug' : 'log';
    worker.on('completed', (job, result) => this.logger[completed]({ ...describe(job), result }, 'job completed'));
    worker.on('failed', (job, err) =>
      this.logger.warn({ ...(job ? describe(job) : { queue }), attemptsMade: job?.attemptsMade, err }, 'job failed'),
    );
    worker.on('stalled', (jobId) => this.logger.warn({ queue, jobId }, 'job stalled; BullMQ will run it again'));
    worker.on('error', (err) => this.logger.error({ queue, err }, 'worker error'));
    return worker;
  }
}
