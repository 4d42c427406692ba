// Retry decisions: backoff, jitter, Retry-After, which statuses.
import { describe, expect, it } from '@jest/globals';
import { decideAfterAttempt, retryAfterMs } from '../index.js';

const settings = { backoffMs: 1000, maxBackoffMs: 60_000, retryForMs: 3 * 86_400_000 };
const t0 = new Date('2026-12-01T10:00:00Z');

describe('decideAfterAttempt', () => {
  it('delivers on 2xx, retries 5xx, 408, 429 and no answer, and fails other statuses at once', () => {
    expect(decideAfterAttempt({ statusCode: 204 }, 1, t0, t0, settings).outcome).toBe('delivered');
    for (const statusCode of [500, 503, 408, 429, null])
      expect(decideAfterAttempt({ statusCode }, 1, t0, t0, settings).outcome).toBe('retry');
    for (const statusCode of [400, 401, 404, 410, 301])
      expect(decideAfterAttempt({ statusCode }, 1, t0, t0, settings).outcome).toBe('failed');
    expect(decideAfterAttempt({ statusCode: null, permanent: true }, 1, t0, t0, settings).outcome).toBe('failed');
  });

  it('doubles the step with jitter between half and all of it, capped', () => {
    const delay = (attempt: number, r: number) => {
      const d = decideAfterAttempt({ statusCode: 500 }, attempt, t0, t0, settings, () => r);
      return d.outcome === 'retry' ? d.at.getTime() - t0.getTime() : NaN;
    };
    expect(delay(1, 0)).toBe(500);
    expect(delay(1, 0.999999)).toBeGreaterThanOrEqual(999);
    expect(delay(1, 0.999999)).toBeLessThanOrEqual(1000);
    expect(delay(3, 0)).toBe(2000);
    expect(delay(30, 0)).toBe(30_000);
  });

  it('waits at least what Retry-After asks, in seconds or as a date', () => {
    const d = decideAfterAttempt({ statusCode: 429, retryAfter: '120' }, 1, t0, t0, settings, () => 0);
    expect(d).toEqual({ outcome: 'retry', at: new Date(t0.getTime() + 120_000) });
    expect(retryAfterMs(new Date(t0.getTime() + 5000).toUTCString(), t0)).toBe(5000);
    expect(retryAfterMs('soon', t0)).toBeNull();
  });

  it('gives up once the next try would fall after the retry period', () => {
    const late = new Date(t0.getTime() + settings.retryForMs - 100);
    expect(decideAfterAttempt({ statusCode: 500 }, 5, t0, late, settings)).toMatchObject({ outcome: 'failed' });
  });
});
