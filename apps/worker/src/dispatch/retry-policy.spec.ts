// The retry policy without a server: what a refusal makes of each row.
import { describe, expect, it } from '@jest/globals';
import { LedgerMove } from '#domain';
import { SmtpDeliveryError } from '#notifications';
import { GIVE_UP_AFTER_MS, describeFailure, refusalOf, retryDelay } from './retry-policy.js';

const now = new Date('2026-12-10T12:00:00Z');
const policy = { attempts: 4, backoffMs: 100 };
const transient = new SmtpDeliveryError('try again later', { permanent: false, responseCode: 451 });
const outage = new SmtpDeliveryError('connection refused', { permanent: false, code: 'ECONNREFUSED' });
const rejected = new SmtpDeliveryError('no such mailbox', { permanent: true, responseCode: 550 });

describe('a refused row', () => {
  it('is retried later, backing off from the base', () => {
    const row = { id: 'n1', attempts: 3, sendAt: new Date(now.getTime() - 60_000) };
    expect(refusalOf(row, transient, false, now, policy)).toEqual({
      id: 'n1',
      move: LedgerMove.RetryLater,
      error: 'transient SMTP failure 451: try again later',
      retryAt: new Date(now.getTime() + 400),
    });
  });

  it('fails at once when refused for good', () => {
    expect(refusalOf({ id: 'n1', attempts: 1, sendAt: now }, rejected, true, now, policy)).toMatchObject({
      move: LedgerMove.Fail,
      retryAt: null,
      error: 'permanent SMTP failure 550: no such mailbox',
    });
  });

  it('is given up only after JOB_ATTEMPTS tries and a day late', () => {
    const dayLate = new Date(now.getTime() - GIVE_UP_AFTER_MS - 1);
    expect(refusalOf({ id: 'n1', attempts: 4, sendAt: dayLate }, transient, false, now, policy).move).toBe(
      LedgerMove.Fail,
    );
    expect(refusalOf({ id: 'n1', attempts: 3, sendAt: dayLate }, transient, false, now, policy).move).toBe(
      LedgerMove.RetryLater,
    );
    expect(refusalOf({ id: 'n1', attempts: 9, sendAt: now }, transient, false, now, policy).move).toBe(
      LedgerMove.RetryLater,
    );
  });
});

describe('retry delays and errors', () => {
  it('caps the delay at 30 s while the server itself is away, at 15 min otherwise', () => {
    expect(retryDelay(20, outage, 1000)).toBe(30_000);
    expect(retryDelay(20, transient, 1000)).toBe(15 * 60_000);
  });

  it('describes any failure', () => {
    expect(describeFailure(new Error('template missing'))).toBe('template missing');
    expect(describeFailure('odd')).toBe('odd');
  });
});
