// The worker process's entry point: checks the Node.js version first (before loading anything), then the settings and
// the database; boots WorkerModule and shuts it down cleanly on SIGTERM/SIGINT.
import { requireSupportedNode } from '#runtime';

requireSupportedNode();
await import('reflect-metadata');
const { startTracing } = await import('#observability');
// Tracing first (OTEL_EXPORTER_OTLP_ENDPOINT; off when unset).
startTracing('followup-worker');
const { startupProblem } = await import('#persistence');
const problem = await startupProblem('The worker', process.env);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
const { Logger: NestLogger } = await import('@nestjs/common');
const { NestFactory } = await import('@nestjs/core');
const { Logger } = await import('nestjs-pino');
const { WorkerModule } = await import('./src/worker.module.js');

// abortOnError off: a start-up failure (bad config, missing job handler) should exit with a message, not abort().
const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true, abortOnError: false }).catch(
  (err: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', app: 'worker', msg: 'worker failed to start', err: String((err as Error)?.stack ?? err) })}\n`,
    );
    process.exit(1);
  },
);
app.useLogger(app.get(Logger));

/**
 * SIGTERM/SIGINT: app.close() runs the shutdown hooks (close the workers, waiting for jobs in flight, then
 * the mailer, queues and database). Not enableShutdownHooks(): it re-raises the signal afterwards, which
 * kills the process before pino has written the last lines; process.exit lets pino flush. A second
 * signal stops at once.
 */
const log = new NestLogger('Worker');
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    log.log({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
