import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { DomainError, DomainErrorCode } from '#domain';

export const LOGIN_LIMITER = Symbol('LOGIN_LIMITER');

export interface LoginLimiter {
  assertAllowed(key: string): Promise<void>;
  recordFailure(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/**
 * Failed logins per client address and email, counted in Redis so every API process shares the count.
 * Only failures count: a person who logs in correctly is never slowed down.
 */
export function createLoginLimiter(redis: Redis, maxFailures: number, windowSeconds: number): LoginLimiter {
  const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'followup:login-failures', points: maxFailures, duration: windowSeconds });
  return {
    async assertAllowed(key) {
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= maxFailures) {
        throw new DomainError(DomainErrorCode.RateLimited, `too many failed logins: try again in ${Math.ceil(state.msBeforeNext / 1000)} seconds`);
      }
    },
    async recordFailure(key) {
      await limiter.penalty(key, 1);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}
