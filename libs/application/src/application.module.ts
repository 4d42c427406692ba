import { Module } from '@nestjs/common';
import { InspectionsService } from './inspections.service.js';
import { LedgerService } from './ledger.service.js';
import { NotificationPlanner } from './notification-planner.js';
import { OrganisationsService } from './organisations.service.js';
import { PoliciesService } from './policies.service.js';
import { RecommendationsService } from './recommendations.service.js';
import { CalendarService } from './records/calendar.service.js';
import { DashboardService } from './records/dashboard.service.js';
import { ReadinessService } from './records/readiness.service.js';
import { RegisterService } from './records/register.service.js';
import { CLOCK, systemClock } from './tokens.js';
import { UsersService } from './users.service.js';
import { WorkQueries } from './work.queries.js';

const services = [
  UsersService,
  OrganisationsService,
  InspectionsService,
  RecommendationsService,
  LedgerService,
  PoliciesService,
  NotificationPlanner,
  CalendarService,
  DashboardService,
  ReadinessService,
  RegisterService,
  WorkQueries,
];

/** Use cases shared by the api and worker apps. Needs a DataSource and a NOTIFICATION_SCHEDULER from its importer. */
@Module({
  providers: [...services, { provide: CLOCK, useValue: systemClock }],
  exports: [...services, CLOCK],
})
export class ApplicationModule {}
