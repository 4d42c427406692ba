import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ApplicationModule } from '#application';
import { AppConfigModule } from '#config';
import { LoggingModule } from '#observability';
import { PersistenceModule } from '#persistence';
import { SchedulingModule } from '#scheduling';
import { AuditSequencerService } from './audit-sequencer.service.js';
import { DispatchService } from './dispatch.service.js';
import { mailerProvider } from './mailer.provider.js';
import { ReconcileService } from './reconcile.service.js';
import { WeeklySummaryService } from './weekly-summary.service.js';
import { WorkerRunner } from './worker-runner.service.js';

/** The worker process: no HTTP, only BullMQ workers running the job handlers below. */
@Module({
  imports: [AppConfigModule, LoggingModule.forApp('worker'), PersistenceModule, SchedulingModule, ApplicationModule, DiscoveryModule],
  providers: [mailerProvider, AuditSequencerService, DispatchService, ReconcileService, WeeklySummaryService, WorkerRunner],
})
export class WorkerModule {}
