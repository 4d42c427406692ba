// The worker's one pooled SMTP mailer, configured from the environment.
import type { FactoryProvider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#config';
import { Mailer } from '#notifications';

/** One pooled SMTP transport per process; timeouts of seconds, so a dead server is a quick retry. */
export const mailerProvider: FactoryProvider<Mailer> = {
  provide: Mailer,
  inject: [APP_CONFIG],
  useFactory: ({ env }: AppConfig) =>
    new Mailer({
      url: env.SMTP_URL,
      maxConnections: env.SMTP_POOL_SIZE,
      connectionTimeoutMs: env.SMTP_TIMEOUT_MS,
      greetingTimeoutMs: env.SMTP_TIMEOUT_MS,
      socketTimeoutMs: 2 * env.SMTP_TIMEOUT_MS,
    }),
};
