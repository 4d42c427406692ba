// The API process: checks the Node.js version first (before loading anything), then the settings and the database, then
// listens on PORT.
import { requireSupportedNode } from '#runtime';
import type { AppConfig } from '#config';

requireSupportedNode();
await import('reflect-metadata');
const { startTracing } = await import('#observability');
// Tracing first (OTEL_EXPORTER_OTLP_ENDPOINT; off when unset).
startTracing('followup-api');
const { startupProblem } = await import('#persistence');
const problem = await startupProblem('The API', process.env);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const { APP_CONFIG } = await import('#config');
const { createApiApp } = await import('./src/bootstrap.js');
const app = await createApiApp();
await app.listen(app.get<AppConfig>(APP_CONFIG).env.PORT);
