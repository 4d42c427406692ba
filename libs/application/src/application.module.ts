// The Nest module of the use cases both apps share, with the system clock.
import { Module } from '@nestjs/common';
import { AuditSequencerTrigger } from './audit-sequencer-trigger.js';
import { AuditService } from './audit.service.js';
import { InspectionPublishing } from './inspection-publishing.js';
import { InspectionsService } from './inspections.service.js';
import { LedgerService } from './ledger.service.js';
import { NotificationPlanner } from './notification-planner.js';
import { OrganisationsService } from './organisations.service.js';
import { OverdueListQuery } from './overdue-list.js';
import { PoliciesService } from './policies.service.js';
import { RecommendationsService } from './recommendations.service.js';
import { Replanning } from './replanning.js';
import { CalendarService } from './records/calendar.service.js';
import { DashboardService } from './records/dashboard.service.js';
import { ReadinessService } from './records/readiness.service.js';
import { RegisterService } from './records/register.service.js';
import { EvidenceRetention } from './evidence/evidence-retention.js';
import { EvidenceScanning } from './evidence/evidence-scanning.js';
import { EvidenceService } from './evidence/evidence.service.js';
import { SearchService } from './search.service.js';
import { CLOCK, systemClock } from './tokens.js';
import { ApiTokensService } from './identity/api-tokens.service.js';
import { ToDoService } from './to-do.js';
import { UsersService } from './users.service.js';
import { WorkQueries } from './work.queries.js';
import { WebhookPlanner } from './webhooks/webhook-planner.js';
import { WebhooksService } from './webhooks/webhooks.service.js';
import { AccountLinksService } from './identity/account-links.service.js';
import { PasswordsService } from './identity/passwords.service.js';
import { TwoFactorService } from './identity/two-factor.service.js';
import { SingleSignOnService } from './identity/single-sign-on.service.js';

const services = [
  UsersService,
  OrganisationsService,
  InspectionsService,
  InspectionPublishing,
  RecommendationsService,
  LedgerService,
  PoliciesService,
  NotificationPlanner,
  Replanning,
  CalendarService,
  DashboardService,
  ReadinessService,
  RegisterService,
  AuditService,
  WorkQueries,
  OverdueListQuery,
  EvidenceService,
  EvidenceScanning,
  EvidenceRetention,
  SearchService,
  WebhookPlanner,
  WebhooksService,
  ToDoService,
  AccountLinksService,
  PasswordsService,
  TwoFactorService,
  SingleSignOnService,
  ApiTokensService,
];

/**
 * Use cases shared by the api and worker apps. Needs Storage (#persistence), a NOTIFICATION_SCHEDULER and an
 * AUDIT_SEQUENCER from its importer.
 */
@Module({
  providers: [...services, AuditSequencerTrigger, { provide: CLOCK, useValue: systemClock }],
  exports: [...services, CLOCK],
})
export class ApplicationModule {}
