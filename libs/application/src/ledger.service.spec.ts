// Unit tests of ledgerView: how a ledger row reads in GET /notifications (the internal sending state shown as
// scheduled).
import { describe, expect, it } from '@jest/globals';
import { DeadlineType, NotificationKind, NotificationStatus } from '#domain';
import { NotificationEntity } from '#persistence';
import { ledgerView } from './ledger.service.js';

const row = (overrides: Partial<NotificationEntity>): NotificationEntity =>
  Object.assign(new NotificationEntity(), {
    id: 'n1',
    kind: NotificationKind.Overdue,
    recipientEmail: 'liaison@force.test',
    recipientId: 'u1',
    recommendationId: 'r1',
    deadlineType: DeadlineType.ActionPlan,
    deadlineAt: new Date('2026-11-01T00:00:00Z'),
    offsetKey: 'P0D',
    sendAt: new Date('2026-11-01T00:00:00Z'),
    status: NotificationStatus.Scheduled,
    attempts: 0,
    sentAt: null,
    messageId: null,
    lastError: null,
    retryAt: null,
    createdAt: new Date('2026-10-01T00:00:00Z'),
    ...overrides,
  });

describe('ledgerView', () => {
  it('shows when a notice refused for now is tried again, and nothing once it is settled', () => {
    const retryAt = new Date('2026-11-01T00:05:00Z');
    expect(ledgerView(row({ attempts: 2, retryAt, lastError: 'transient SMTP failure 451' }))).toMatchObject({
      status: 'scheduled',
      attempts: 2,
      nextAttemptAt: '2026-11-01T00:05:00.000Z',
    });
    expect(ledgerView(row({ status: NotificationStatus.Sending, attempts: 3, retryAt })).nextAttemptAt).toBeNull();
    expect(ledgerView(row({ status: NotificationStatus.Sent, retryAt, sentAt: retryAt })).nextAttemptAt).toBeNull();
    expect(ledgerView(row({})).nextAttemptAt).toBeNull();
  });

  it('shows `sending` as `scheduled`: the contract knows four statuses', () => {
    expect(ledgerView(row({ status: NotificationStatus.Sending })).status).toBe('scheduled');
  });
});
