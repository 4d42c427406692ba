// Builds the API application (module, logging, body parsers, web layer, OpenAPI, queue dashboard) for main.ts and the
// tests.
import { VersioningType } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#config';
import { ApiModule } from './api.module.js';
import { mountHttpMetrics } from './http-metrics.js';
import { openApiDocument } from './http/openapi.js';
import { versionOf } from './shared/negotiation.js';
import { useSmallBodyParsers } from './shared/request-body/body-types.js';
import { mountQueueDashboard } from './queue-dashboard.js';
import { mountApiDocs } from './web/controllers/api-docs-page.controller.js';
import { securityHeaders } from './web/security-headers.js';
import { mountWebAssets } from './web/web-assets.js';
import { WebSessions } from './web/web-sessions.js';

/** The API as both `main.ts` and the end-to-end tests run it. */
export async function createApiApp(): Promise<NestExpressApplication> {
  return configureApiApp(
    await NestFactory.create<NestExpressApplication>(ApiModule, { bufferLogs: true, bodyParser: false }),
  );
}

/**
 * Everything around the module, in the order a request meets it: this is the one place the middleware order
 * is written down. After these, Nest's own order: the guards (BodyTypeGuard 415, then AccessGuard, both in
 * api.module.ts), the validation pipe, the route, and the exception filters (DomainExceptionFilter for the
 * API, WebExceptionFilter on page controllers, PageNotFoundFilter for paths nothing answers).
 * Tests that override providers call it on their own app.
 */
export async function configureApiApp(app: NestExpressApplication): Promise<NestExpressApplication> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // The login limit counts per client address: behind a load balancer, TRUST_PROXY must name it (see README).
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  app.disable('x-powered-by');
  // 1. Small JSON and form bodies for every route; CSV and multipart only where a route declares them (@CsvBody,
  // @MultipartBody), read after the guards; any other type 415 (BodyTypeGuard) before it is read (docs/web.md).
  useSmallBodyParsers(app);
  // 2. Before the web layer and the routes: every request is counted, and /metrics answers outside Nest's guards.
  mountHttpMetrics(app);
  // 3. The security headers on every response, pages and JSON alike. Signing out of a single sign-on session goes on
  // to the identity provider (RP-initiated logout): its origin may end a form post.
  const oidc = app.get<AppConfig>(APP_CONFIG).oidc;
  app.use(securityHeaders(oidc ? [oidc.issuer.origin] : []));
  // 4. Negotiation: routes declared for PAGE_VERSION answer browsers only; every other route is version-neutral.
  app.enableVersioning({ type: VersioningType.CUSTOM, extractor: (req) => versionOf(req as never) });
  // 5. The pages' static assets (GOV.UK Frontend, MoJ Frontend, our CSS), before sessions: an asset needs none.
  mountWebAssets(app);
  // 6. The pages' Redis sessions (the API reads its bearer token in AccessGuard instead).
  app.use(app.get(WebSessions).middleware);
  // 7. Swagger UI at /docs and the document at /docs-json (the same as docs/openapi.json), as API_DOCS says.
  mountApiDocs(app, () => openApiDocument(app));
  // 8. The queue dashboard at /admin/queues, for administrators.
  await mountQueueDashboard(app);
  return app;
}
