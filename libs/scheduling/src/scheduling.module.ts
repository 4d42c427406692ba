// The scheduling module: the Redis connection, one BullMQ Queue per QueueName, and the scheduler ports.
import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ACCOUNT_MAIL, AUDIT_SEQUENCER, EVIDENCE_SCANS, NOTIFICATION_SCHEDULER, WEBHOOK_SCHEDULER } from '#application';
import { BullAccountMailKick } from './account-mail-kick.js';
import { APP_CONFIG, type AppConfig } from '#config';
import {
  QueueName,
  auditJobOptions,
  dispatchJobOptions,
  maintenanceJobOptions,
  scanJobOptions,
  webhookJobOptions,
} from './queues.js';
import {
  BullAuditSequencerKick,
  BullEvidenceScanQueue,
  BullNotificationScheduler,
  BullWebhookScheduler,
  QUEUES,
  type QueueMap,
} from './scheduler.service.js';

export const SCHEDULING_REDIS = Symbol('SCHEDULING_REDIS');
export const SCHEDULING_OPTIONS = Symbol('SCHEDULING_OPTIONS');

export interface SchedulingOptions {
  /** BullMQ's key prefix in Redis; tests give each file its own so that they cannot see each other's jobs. */
  prefix: string;
}

/** BullMQ on Redis: the connection, one Queue per QueueName, and the NotificationScheduler port. */
@Global()
@Module({
  providers: [
    {
      provide: SCHEDULING_OPTIONS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): SchedulingOptions => ({ prefix: config.env.QUEUE_PREFIX }),
    },
    {
      provide: SCHEDULING_REDIS,
      inject: [APP_CONFIG],
      // BullMQ workers require `maxRetriesPerRequest: null`: a blocked command waits out a Redis restart.
      useFactory: (config: AppConfig): Redis => {
        const redis = new Redis(config.env.REDIS_URL, { maxRetriesPerRequest: null });
        const logger = new Logger('Redis');
        redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
        return redis;
      },
    },
    {
      provide: QUEUES,
      inject: [SCHEDULING_REDIS, SCHEDULING_OPTIONS, APP_CONFIG],
      useFactory: (redis: Redis, options: SchedulingOptions, config: AppConfig): QueueMap => {
        const make = (name: QueueName, defaultJobOptions: Queue['defaultJobOptions']) => {
          const queue = new Queue(name, { connection: redis, prefix: options.prefix, defaultJobOptions });
          // The shared connection's own handler logs these; without a listener BullMQ prints each to stderr.
          queue.on('error', () => undefined);
          return queue;
        };
        return {
          [QueueName.Notifications]: make(QueueName.Notifications, dispatchJobOptions(config)),
          [QueueName.Maintenance]: make(QueueName.Maintenance, maintenanceJobOptions(config)),
          [QueueName.Audit]: make(QueueName.Audit, auditJobOptions),
          [QueueName.Evidence]: make(QueueName.Evidence, scanJobOptions(config)),
          [QueueName.Webhooks]: make(QueueName.Webhooks, webhookJobOptions),
        };
      },
    },
    { provide: NOTIFICATION_SCHEDULER, useClass: BullNotificationScheduler },
    { provide: WEBHOOK_SCHEDULER, useClass: BullWebhookScheduler },
    BullAuditSequencerKick,
    { provide: AUDIT_SEQUENCER, useExisting: BullAuditSequencerKick },
    { provide: EVIDENCE_SCANS, useClass: BullEvidenceScanQueue },
    { provide: ACCOUNT_MAIL, useClass: BullAccountMailKick },
  ],
  exports: [
    SCHEDULING_REDIS,
    SCHEDULING_OPTIONS,
    QUEUES,
    NOTIFICATION_SCHEDULER,
    AUDIT_SEQUENCER,
    WEBHOOK_SCHEDULER,
    EVIDENCE_SCANS,
    ACCOUNT_MAIL,
  ],
})
export class SchedulingModule implements OnApplicationShutdown {
  constructor(
    @Inject(QUEUES) private readonly queues: QueueMap,
    @Inject(SCHEDULING_REDIS) private readonly redis: Redis,
    private readonly kick: BullAuditSequencerKick,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.kick.stop();
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    // QUIT lets replies already on their way arrive; a dead Redis gets no QUIT reply, so do not wait for ever.
    await Promise.race([this.redis.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    this.redis.disconnect();
  }
}
