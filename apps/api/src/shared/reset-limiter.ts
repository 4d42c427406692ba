// How often one client address, and one email address, may ask for a password-reset link (rate-limiter-flexible on
// Redis).
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '#config';
import { identitySettings } from '#application';
import { DomainError, DomainErrorCode, SECOND_MS } from '#domain';
import { API_REDIS } from '../redis.provider.js';

export const RESET_LIMITER = Symbol('RESET_LIMITER');

export interface ResetLimiter {
  /** Counts one request from `clientAddress` for `email`; throws RateLimited once either allowance is spent. */
  consume(clientAddress: string, email: string): Promise<void>;
}

/**
 * RESET_MAX_REQUESTS per RESET_REQUEST_WINDOW for each email address (whether or not it has an account, so
 * the limit tells nothing) and ten times that for each client address (an office behind one address is many people).
 * Requests are counted, not failures.
 */
export function createResetLimiter(redis: Redis, config: AppConfig): ResetLimiter {
  const { resetMaxRequests, resetWindowSeconds } = identitySettings(config);
  const namespace = config.env.QUEUE_PREFIX;
  const perEmail = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${namespace}:reset:email`,
    points: resetMaxRequests,
    duration: resetWindowSeconds,
  });
  const perAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${namespace}:reset:address`,
    points: 10 * resetMaxRequests,
    duration: resetWindowSeconds,
  });
  return {
    async consume(clientAddress, email) {
      const results = await Promise.allSettled([
        perAddress.consume(clientAddress),
        perEmail.consume(email.trim().toLowerCase()),
      ]);
      const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (refusals.length === 0) return;
      const failure = refusals.find((reason) => !(reason instanceof RateLimiterRes));
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the limiter's own failure unchanged
      if (failure) throw failure;
      const waitMs = Math.max(...refusals.map((reason) => (reason as RateLimiterRes).msBeforeNext));
      throw new DomainError(
        DomainErrorCode.RateLimited,
        `too many requests for a password reset: try again in ${Math.ceil(waitMs / SECOND_MS)} seconds`,
      );
    },
  };
}

export const resetLimiterProvider = {
  provide: RESET_LIMITER,
  inject: [API_REDIS, APP_CONFIG],
  useFactory: (redis: Redis, config: AppConfig): ResetLimiter => createResetLimiter(redis, config),
};
