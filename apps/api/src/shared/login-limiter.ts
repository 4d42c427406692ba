// The login limit: attempts per (client address, email) and per account, counted in Redis for every API process.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DomainError, DomainErrorCode, SECOND_MS } from '#domain';

export const LOGIN_LIMITER = Symbol('LOGIN_LIMITER');

/** Who is trying: the address the request came from, and the account it names. */
export interface LoginAttempt {
  clientAddress: string;
  email: string;
}

export interface LoginLimiter {
  /**
   * Takes one attempt from the allowance before the password is checked, so that attempts made at once
   * cannot all pass a check made before any of them was counted. Throws RateLimited once any is spent.
   */
  consume(attempt: LoginAttempt): Promise<void>;
  /** A correct password: the attempt is given back, and that address's count for the account starts again. */
  succeeded(attempt: LoginAttempt): Promise<void>;
}

export interface LoginLimits {
  /** Attempts per (address, email) within the window. */
  perAddress: number;
  /** Attempts per email from all addresses together within the window: holds an attack spread over many addresses. */
  perAccount: number;
  windowSeconds: number;
  /** The installation's Redis namespace (QUEUE_PREFIX): installations sharing a Redis count apart. */
  namespace: string;
}

/**
 * A success gives its point back, so only failures use up the allowance; a spent allowance refuses even
 * the right password until the window ends (otherwise the answer would tell the attacker it was right).
 */
export function createLoginLimiter(redis: Redis, limits: LoginLimits): LoginLimiter {
  const perAddress = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${limits.namespace}:login:address-email`,
    points: limits.perAddress,
    duration: limits.windowSeconds,
  });
  const perAccount = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${limits.namespace}:login:account`,
    points: limits.perAccount,
    duration: limits.windowSeconds,
  });
  const keys = ({ clientAddress, email }: LoginAttempt) => {
    const account = email.trim().toLowerCase();
    return { address: `${clientAddress}|${account}`, account };
  };
  return {
    async consume(attempt) {
      const { address, account } = keys(attempt);
      const results = await Promise.allSettled([perAddress.consume(address), perAccount.consume(account)]);
      const refusals = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      if (refusals.length === 0) return;
      // A refused attempt never reaches the password check: it must not use up the other allowance too.
      await Promise.all([
        results[0].status === 'fulfilled' ? perAddress.reward(address, 1) : null,
        results[1].status === 'fulfilled' ? perAccount.reward(account, 1) : null,
      ]);
      const failure = refusals.find((reason) => !(reason instanceof RateLimiterRes));
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows the limiter's own failure unchanged
      if (failure) throw failure;
      const waitMs = Math.max(...refusals.map((reason) => (reason as RateLimiterRes).msBeforeNext));
      throw new DomainError(
        DomainErrorCode.RateLimited,
        `too many failed sign-in attempts for this account: try again in ${Math.ceil(waitMs / SECOND_MS)} seconds`,
      );
    },
    async succeeded(attempt) {
      const { address, account } = keys(attempt);
      await Promise.all([perAddress.delete(address), perAccount.reward(account, 1)]);
    },
  };
}
