// The web pages' controllers, one per page group named after its path, and the web layer's providers; registered by
// ApiModule before the API routes they share paths with.
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccountApiTokensPageController } from './controllers/account-api-tokens-page.controller.js';
import { AccountLinksPageController } from './controllers/account-links-page.controller.js';
import { AccountTwoFactorPageController } from './controllers/account-two-factor-page.controller.js';
import { AdminApiTokensPageController } from './controllers/admin-api-tokens-page.controller.js';
import { AccountPageController } from './controllers/account-page.controller.js';
import { ApiDocs, ApiDocsPageController } from './controllers/api-docs-page.controller.js';
import { AccountSecurityPageController } from './controllers/account-security-page.controller.js';
import { TwoFactorPageController } from './controllers/two-factor-page.controller.js';
import { AdminOrganisationsPageController } from './controllers/admin-organisations-page.controller.js';
import { AdminPageController } from './controllers/admin-page.controller.js';
import { AdminPoliciesPageController } from './controllers/admin-policies-page.controller.js';
import { AdminUsersPageController } from './controllers/admin-users-page.controller.js';
import { AdminWebhooksPageController } from './controllers/admin-webhooks-page.controller.js';
import { DashboardPageController } from './controllers/dashboard-page.controller.js';
import { ImportPageController } from './controllers/import-page.controller.js';
import { InspectionPublishPageController } from './controllers/inspection-publish-page.controller.js';
import { InspectionsPageController } from './controllers/inspections-page.controller.js';
import { MyWorkPageController } from './controllers/my-work-page.controller.js';
import { OverduePageController } from './controllers/overdue-page.controller.js';
import { ReadinessPageController } from './controllers/readiness-page.controller.js';
import { RecommendationsPageController } from './controllers/recommendations-page.controller.js';
import { EvidencePageController } from './controllers/evidence-page.controller.js';
import { RegisterPageController } from './controllers/register-page.controller.js';
import { SearchPageController } from './controllers/search-page.controller.js';
import { SignInPageController } from './controllers/sign-in-page.controller.js';
import { SingleSignOnPageController } from './controllers/single-sign-on-page.controller.js';
import { RelyingParty } from './oidc/relying-party.js';
import { PageAccessGuard } from './page-access.guard.js';
import { PageNotFoundFilter } from './page-not-found.filter.js';
import { PageRenderer } from './page-renderer.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { webSessionsProvider } from './web-sessions.js';

export const WEB_CONTROLLERS = [
  SignInPageController,
  SingleSignOnPageController,
  TwoFactorPageController,
  MyWorkPageController,
  InspectionsPageController,
  InspectionPublishPageController,
  RecommendationsPageController,
  OverduePageController,
  AccountPageController,
  AdminPageController,
  AdminOrganisationsPageController,
  AdminUsersPageController,
  AdminPoliciesPageController,
  AdminWebhooksPageController,
  DashboardPageController,
  ImportPageController,
  ReadinessPageController,
  RegisterPageController,
  EvidencePageController,
  SearchPageController,
  ApiDocsPageController,
  AccountLinksPageController,
  AccountSecurityPageController,
  AccountApiTokensPageController,
  AccountTwoFactorPageController,
  AdminApiTokensPageController,
];

export const WEB_PROVIDERS = [
  PageRenderer,
  RelyingParty,
  ApiDocs,
  WebExceptionFilter,
  webSessionsProvider,
  { provide: APP_GUARD, useClass: PageAccessGuard },
  { provide: APP_FILTER, useClass: PageNotFoundFilter },
];
