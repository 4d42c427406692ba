// Structured JSON logs (pino) for the api and the worker, without credentials or secret URL parts.
import { type DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { pino } from 'pino';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '#config';
import { traceLogFields } from './tracing.js';
import { maskingStream } from './secret-paths.js';

/**
 * A request log line names the request and its outcome, nothing else: pino-http's default serializers
 * copy every header (then redact the credentials out of the copy), which cost more CPU per request than
 * the recommendation query itself under load.
 */
const serializers = {
  req: (req: IncomingMessage & { id?: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
};

/** Structured JSON logs (pino) for both processes; request logs carry no credentials. */
@Module({})
export class LoggingModule {
  static forApp(app: 'api' | 'worker'): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          imports: [AppConfigModule],
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            pinoHttp: [
              {
                level: config.env.LOG_LEVEL,
                base: { app, pid: process.pid },
                serializers,
                redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password'],
                autoLogging: app === 'api',
                // Every line written inside a span says which trace it belongs to.
                mixin: traceLogFields,
              },
              // Written off the event loop, each line as soon as the previous write is done (lines queued
              // meanwhile go together); what is still queued is flushed synchronously when the process exits.
              // Every line is masked first: secret URL parts (feed tokens, one-time links) never reach the log.
              maskingStream(pino.destination({ dest: 1, sync: false })),
            ],
          }),
        }),
      ],
    };
  }
}
