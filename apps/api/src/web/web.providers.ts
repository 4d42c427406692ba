// The web layer's controllers and providers, registered by ApiModule (pages before the API routes they share paths with).
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { MyWorkController } from './controllers/my-work.controller.js';
import { InspectionsPageController } from './controllers/inspections-page.controller.js';
import { RecommendationsPageController } from './controllers/recommendations-page.controller.js';
import { SignInController } from './controllers/sign-in.controller.js';
import { PageAccessGuard } from './page-access.guard.js';
import { PageNotFoundFilter } from './page-not-found.filter.js';
import { PageRenderer } from './page-renderer.js';
import { WebExceptionFilter } from './web-exception.filter.js';
import { webSessionsProvider } from './web-sessions.js';

export const WEB_CONTROLLERS = [SignInController, MyWorkController, InspectionsPageController, RecommendationsPageController];

export const WEB_PROVIDERS = [
  PageRenderer,
  WebExceptionFilter,
  webSessionsProvider,
  { provide: APP_GUARD, useClass: PageAccessGuard },
  { provide: APP_FILTER, useClass: PageNotFoundFilter },
];
