// The Nest module that validates the environment once and provides it as APP_CONFIG.
import { Global, Module } from '@nestjs/common';
import { loadConfig, type AppConfig } from './env.schema.js';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Validated once at start-up: a bad variable stops the process with a message naming it. */
@Global()
@Module({
  providers: [{ provide: APP_CONFIG, useFactory: (): AppConfig => loadConfig() }],
  exports: [APP_CONFIG],
})
export class AppConfigModule {}
