// The API process's module: the JSON API's controllers, the web pages, and what both need (guards, filters, validation,
// JWT, Redis).
import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { ApplicationModule, UsersService } from '#application';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '#config';
import { EvidenceModule } from '#evidence';
import { LoggingModule } from '#observability';
import { PersistenceModule, Storage } from '#persistence';
import { OperationalMetrics, SchedulingModule } from '#scheduling';
import { AccessGuard } from './http/access.guard.js';
import { AuditController } from './http/audit.controller.js';
import { AuthController } from './http/auth.controller.js';
import { CalendarController } from './http/calendar.controller.js';
import { DashboardController } from './http/dashboard.controller.js';
import { DomainExceptionFilter } from './http/domain-exception.filter.js';
import { EvidenceFilesController } from './http/evidence-files.controller.js';
import { FollowUpPoliciesController } from './http/follow-up-policies.controller.js';
import { HealthController } from './http/health.controller.js';
import { InspectionsController } from './http/inspections.controller.js';
import { createLoginLimiter, LOGIN_LIMITER } from './shared/login-limiter.js';
import { LoginService } from './shared/login.service.js';
import { NotificationsController } from './http/notifications.controller.js';
import { OrganisationsController } from './http/organisations.controller.js';
import { ReadinessController } from './http/readiness.controller.js';
import { RecommendationsController } from './http/recommendations.controller.js';
import { RegisterController } from './http/register.controller.js';
import { UsersController } from './http/users.controller.js';
import { WebhooksController } from './http/webhooks.controller.js';
import { WorkController } from './http/work.controller.js';
import { createValidationPipe } from './shared/validation.js';
import { BodyTypeGuard } from './shared/request-body/body-types.js';
import { resolveJwtKey } from './jwt-secret.js';
import { API_REDIS, apiRedisProvider } from './redis.provider.js';
import { IDENTITY_API_CONTROLLERS, IDENTITY_PROVIDERS } from './identity.providers.js';
import { WEB_CONTROLLERS, WEB_PROVIDERS } from './web/web.providers.js';

/** The JSON API, one controller per resource, each named after its path. */
export const API_CONTROLLERS = [
  AuthController,
  UsersController,
  OrganisationsController,
  InspectionsController,
  ReadinessController,
  RecommendationsController,
  NotificationsController,
  FollowUpPoliciesController,
  DashboardController,
  CalendarController,
  RegisterController,
  HealthController,
  AuditController,
  EvidenceFilesController,
  WebhooksController,
  WorkController,
  ...IDENTITY_API_CONTROLLERS,
];

@Module({
  imports: [
    AppConfigModule,
    LoggingModule.forApp('api'),
    PersistenceModule,
    SchedulingModule,
    EvidenceModule,
    ApplicationModule,
    TerminusModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG, Storage],
      useFactory: async (config: AppConfig, storage: Storage) => ({
        secret: await resolveJwtKey(config, storage),
        // One algorithm, named on both sides: a token signed any other way (none, RS256 with the secret as a
        // "public key") is refused whatever its header claims.
        signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  // Pages first: on a path both share, a browser's request must meet the page's route before the API's.
  controllers: [...WEB_CONTROLLERS, ...API_CONTROLLERS],
  providers: [
    OperationalMetrics,
    apiRedisProvider,
    LoginService,
    {
      provide: LOGIN_LIMITER,
      inject: [API_REDIS, APP_CONFIG],
      useFactory: (redis: Redis, config: AppConfig) =>
        createLoginLimiter(redis, {
          perAddress: config.env.LOGIN_MAX_FAILURES,
          perAccount: config.env.LOGIN_ACCOUNT_MAX_FAILURES,
          windowSeconds: config.loginFailureWindowSeconds,
          namespace: config.env.QUEUE_PREFIX,
        }),
    },
    // First of the guards: a body of a type the route does not take is refused (415) before anything else.
    { provide: APP_GUARD, useClass: BodyTypeGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    // Nest asks the last global filter first: the web's page-not-found filter must come after this catch-all.
    { provide: APP_FILTER, useClass: DomainExceptionFilter },
    ...WEB_PROVIDERS,
    ...IDENTITY_PROVIDERS,
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
export class ApiModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(API_REDIS) private readonly redis: Redis,
    private readonly users: UsersService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL, ADMIN_PASSWORD } = this.config.env;
    if (ADMIN_EMAIL && ADMIN_PASSWORD) await this.users.bootstrapAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
