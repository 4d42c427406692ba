// Builds the API application (module, logging, body parsers, web layer, OpenAPI, queue dashboard) for main.ts and the tests.
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#config';
import { ApiModule } from './api.module.js';
import { mountHttpMetrics } from './http-metrics.js';
import { openApiDocument } from './http/openapi.js';
import { useSmallBodyParsers } from './http/request-body/body-types.js';
import { mountQueueDashboard } from './queue-dashboard.js';
import { mountApiDocs } from './web/controllers/api-docs-page.controller.js';
import { setUpWeb } from './web/web.setup.js';

/** The API as both `main.ts` and the end-to-end tests run it. */
export async function createApiApp(): Promise<NestExpressApplication> {
  return configureApiApp(await NestFactory.create<NestExpressApplication>(ApiModule, { bufferLogs: true, bodyParser: false }));
}

/** Everything around the module: logging, body parsers, OpenAPI, the queue dashboard. Tests that override providers call it on their own app. */
export async function configureApiApp(app: NestExpressApplication): Promise<NestExpressApplication> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // The login limit counts per client address: behind a load balancer, TRUST_PROXY must name it (see README).
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  // Small JSON and form bodies for every route; CSV and multipart only where a route declares them (@CsvBody,
  // @MultipartBody), read after the guards; any other type 415 (BodyTypeGuard) before it is read (docs/web.md).
  useSmallBodyParsers(app);
  // Before the web layer and the routes: every request is counted, and /metrics answers outside Nest's guards.
  mountHttpMetrics(app);
  setUpWeb(app);
  // Swagger UI at /docs and the document at /docs-json (the same as docs/openapi.json), as API_DOCS says.
  mountApiDocs(app, () => openApiDocument(app));
  await mountQueueDashboard(app);
  return app;
}

