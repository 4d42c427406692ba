// The session store's Redis client and middleware, and the anonymous forms' CSRF tokens, as one provider closed with
// the app.
import { type OnApplicationShutdown } from '@nestjs/common';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';
import { Storage } from '#persistence';
import { resolveJwtSecret } from '../jwt-secret.js';
import { AnonymousFormTokens } from './anonymous-forms.js';
import { SessionRegistry } from './session-registry.js';
import { createSessionRedis, sessionMiddleware, sessionSecret } from './web-session.js';

export class WebSessions implements OnApplicationShutdown {
  readonly middleware: RequestHandler;
  /** CSRF for forms shown to people not signed in (no session exists for them). */
  readonly anonymousForms: AnonymousFormTokens;
  /** Each person's sessions, to list and to end together (identity: docs/identity.md). */
  readonly registry: SessionRegistry;
  private readonly redis: Redis;

  constructor(config: AppConfig, secret: string) {
    this.redis = createSessionRedis(config);
    this.anonymousForms = new AnonymousFormTokens(secret);
    this.middleware = sessionMiddleware(config, this.redis, secret);
    this.registry = new SessionRegistry(this.redis, config.env.QUEUE_PREFIX);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

export const webSessionsProvider = {
  provide: WebSessions,
  inject: [APP_CONFIG, Storage],
  useFactory: async (config: AppConfig, storage: Storage): Promise<WebSessions> =>
    new WebSessions(config, sessionSecret(await resolveJwtSecret(config, storage))),
};
