// The API process: builds the app and listens on PORT.
import 'reflect-metadata';
import { startTracing } from '#observability';
import { APP_CONFIG, type AppConfig } from '#config';
import { createApiApp } from './src/bootstrap.js';

// Before anything else: tracing (OTEL_EXPORTER_OTLP_ENDPOINT; off when unset).
startTracing('followup-api');

const app = await createApiApp();
await app.listen(app.get<AppConfig>(APP_CONFIG).env.PORT);
