import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { APP_CONFIG, AppConfigModule, type AppConfig } from '#config';

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
            pinoHttp: {
              level: config.env.LOG_LEVEL,
              base: { app, pid: process.pid },
              redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password'],
              autoLogging: app === 'api',
            },
          }),
        }),
      ],
    };
  }
}
