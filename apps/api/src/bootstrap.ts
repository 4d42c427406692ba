import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { APP_CONFIG, type AppConfig } from '#config';
import { ApiModule } from './api.module.js';
import { mountQueueDashboard } from './queue-dashboard.js';
import { setUpRecordsWeb } from './web/records-web.js';
import { setUpWeb } from './web/web.setup.js';

/** The API as both `main.ts` and the end-to-end tests run it. */
export async function createApiApp(): Promise<NestExpressApplication> {
  return configureApiApp(await NestFactory.create<NestExpressApplication>(ApiModule, { bufferLogs: true }));
}

/** Everything around the module: logging, body parsers, OpenAPI, the queue dashboard. Tests that override providers call it on their own app. */
export async function configureApiApp(app: NestExpressApplication): Promise<NestExpressApplication> {
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  // The login limit counts per client address: behind a load balancer, TRUST_PROXY must name it (see README).
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  // CSV imports arrive as raw bytes: the import decodes them itself (UTF-8, with or without a BOM).
  app.useBodyParser('raw', { type: 'text/csv', limit: '20mb' });
  setUpWeb(app);
  setUpRecordsWeb(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Follow-up Tracker')
      .setDescription('Inspection recommendations, their deadlines and follow-up: HTTP contract v1')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document);
  await mountQueueDashboard(app);
  return app;
}
