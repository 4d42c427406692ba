// When a refused or failed webhook delivery is tried again: exponential backoff with jitter, Retry-After honoured,
// never past the retry period.

/** What one attempt came to, as the sender saw it. */
export interface AttemptResult {
  /** The HTTP status, or null when there was no answer (timeout, refused connection, address not allowed). */
  statusCode: number | null;
  /** `Retry-After` as sent (seconds or an HTTP date), when there was one. */
  retryAfter?: string | null;
  /**
   * True when the request was refused before sending and trying again cannot help (an address not allowed, a bad URL).
   */
  permanent?: boolean;
}

export interface RetrySettings {
  /** The first retry's delay, doubled each time. */
  backoffMs: number;
  /** No delay grows past this (jitter included). */
  maxBackoffMs: number;
  /** Retries stop once the next try would fall after the delivery's first attempt plus this. */
  retryForMs: number;
}

export type AttemptDecision =
  { outcome: 'delivered' } | { outcome: 'retry'; at: Date } | { outcome: 'failed'; reason: string };

/** 2xx delivered; 5xx, 408, 429 and no answer retried; any other status is the receiver's final word. */
export function isRetryable(result: AttemptResult): boolean {
  if (result.permanent) return false;
  const code = result.statusCode;
  return code === null || code >= 500 || code === 408 || code === 429;
}

/** Seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/**
 * Decides after attempt number `attempt` (1 for the first) of a delivery first tried at `firstAttemptAt`.
 * `random` is in [0, 1) (Math.random by default; tests pass their own). The delay is "equal jitter":
 * half the exponential step plus a random part of the other half, so retries of many deliveries spread
 * out yet never come sooner than half the step. A Retry-After longer than that wins.
 */
export function decideAfterAttempt(
  result: AttemptResult,
  attempt: number,
  firstAttemptAt: Date,
  now: Date,
  settings: RetrySettings,
  random: () => number = Math.random,
): AttemptDecision {
  const code = result.statusCode;
  if (code !== null && code >= 200 && code < 300) return { outcome: 'delivered' };
  if (!isRetryable(result))
    return { outcome: 'failed', reason: code === null ? 'refused before sending' : `the receiver answered ${code}` };
  const step = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** Math.max(0, attempt - 1));
  const jittered = step / 2 + random() * (step / 2);
  const asked = retryAfterMs(result.retryAfter, now);
  const delay = Math.max(jittered, asked ?? 0);
  const at = new Date(now.getTime() + delay);
  if (at.getTime() > firstAttemptAt.getTime() + settings.retryForMs)
    return { outcome: 'failed', reason: 'gave up: the retry period has passed' };
  return { outcome: 'retry', at };
}
