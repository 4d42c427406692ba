// The worker process's module: BullMQ workers and the job handlers they run, the dispatch pipeline's stages among them.
import { Module, type DynamicModule } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApplicationModule } from '#application';
import { AppConfigModule } from '#config';
import { EvidenceModule } from '#evidence';
import { LoggingModule } from '#observability';
import { PersistenceModule } from '#persistence';
import { OperationalMetrics, SchedulingModule } from '#scheduling';
import { AccountEmailsService } from './account-emails.service.js';
import { AuditSequencerService } from './audit-sequencer.service.js';
import { ClaimStage } from './dispatch/claim.stage.js';
import { DISPATCH_OBSERVER, type DispatchObserver } from './dispatch/dispatch-observer.js';
import { DispatchService } from './dispatch/dispatch.service.js';
import { FollowUpsStage } from './dispatch/follow-ups.stage.js';
import { LoadStage } from './dispatch/load.stage.js';
import { RecordStage } from './dispatch/record.stage.js';
import { SendStage } from './dispatch/send.stage.js';
import { EvidenceJobs } from './evidence/evidence-jobs.service.js';
import { mailerProvider } from './mailer.provider.js';
import { ReconcileService } from './reconcile.service.js';
import { WeeklySummaryService } from './weekly-summary.service.js';
import { WorkerRunner } from './worker-runner.service.js';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service.js';
import { WebhookReconciler } from './webhooks/webhook-reconciler.js';
import { MetricsServer } from './metrics-server.js';

/** The worker process: no HTTP, only BullMQ workers running the job handlers below. */
@Module({
  imports: [
    AppConfigModule,
    LoggingModule.forApp('worker'),
    PersistenceModule,
    SchedulingModule,
    EvidenceModule,
    ApplicationModule,
    DiscoveryModule,
  ],
  providers: [
    mailerProvider,
    AuditSequencerService,
    ClaimStage,
    LoadStage,
    SendStage,
    RecordStage,
    FollowUpsStage,
    DispatchService,
    ReconcileService,
    WeeklySummaryService,
    EvidenceJobs,
    AccountEmailsService,
    WorkerRunner,
    WebhookDeliveryService,
    WebhookReconciler,
    OperationalMetrics,
    MetricsServer,
  ],
})
export class WorkerModule {
  /**
   * The same worker, its dispatch pipeline telling `observer` when each phase starts and ends (benchmarks time it so).
   */
  static observed(observer: DispatchObserver): DynamicModule {
    return { module: WorkerModule, providers: [{ provide: DISPATCH_OBSERVER, useValue: observer }] };
  }
}
