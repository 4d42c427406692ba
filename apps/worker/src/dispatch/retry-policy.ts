// Dispatch follow-up (pure): what a refused email's rows become: retried later, backing off, or failed.
import { DAY_MS, LedgerMove, SERVER_OUTAGE_RETRY_DELAY_CAP_MS, retryDelayMs } from '#domain';
import { SmtpDeliveryError } from '#notifications';
import type { Refusal } from '#persistence';

/**
 * A notice that transient SMTP failures kept from its recipient for this long (and JOB_ATTEMPTS tries) is recorded as
 * failed.
 */
export const GIVE_UP_AFTER_MS = DAY_MS;

export interface RetryPolicy {
  /** JOB_ATTEMPTS: tries before a late notice may be given up. */
  attempts: number;
  /** JOB_BACKOFF_MS: the first retry's delay, doubling after. */
  backoffMs: number;
}

/**
 * A 5xx is final at once. Anything else waits in the ledger for its retry (backing off), and is given up
 * as failed only once it has had `attempts` tries and is a day late: an outage is waited out.
 */
export function refusalOf(
  row: { id: string; attempts: number; sendAt: Date },
  err: unknown,
  permanent: boolean,
  now: Date,
  policy: RetryPolicy,
): Refusal {
  const givenUp = row.attempts >= policy.attempts && now.getTime() - row.sendAt.getTime() > GIVE_UP_AFTER_MS;
  const retry = !permanent && !givenUp;
  return {
    id: row.id,
    move: retry ? LedgerMove.RetryLater : LedgerMove.Fail,
    error: describeFailure(err),
    retryAt: retry ? new Date(now.getTime() + retryDelay(row.attempts, err, policy.backoffMs)) : null,
  };
}

/** Backing off per recipient, but never longer than the outage cap while the server itself is away. */
export function retryDelay(attempts: number, err: unknown, baseMs: number): number {
  const serverAway = err instanceof SmtpDeliveryError && err.serverUnavailable;
  return serverAway ? retryDelayMs(attempts, baseMs, SERVER_OUTAGE_RETRY_DELAY_CAP_MS) : retryDelayMs(attempts, baseMs);
}

/** The row's last_error. */
export function describeFailure(err: unknown): string {
  if (err instanceof SmtpDeliveryError)
    return `${err.permanent ? 'permanent' : 'transient'} SMTP failure${err.responseCode ? ` ${err.responseCode}` : ''}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
