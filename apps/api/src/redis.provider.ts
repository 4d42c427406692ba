// The API's own Redis client (health checks, login limits).
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#config';

export const API_REDIS = Symbol('API_REDIS');

/** The API's own Redis client (health checks, login limits); fails fast so a dead Redis shows as 503, not a hang. */
export const apiRedisProvider = {
  provide: API_REDIS,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): Redis =>
    new Redis(config.env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false }),
};
