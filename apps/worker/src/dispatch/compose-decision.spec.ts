// Composing a decision notice without PostgreSQL or SMTP: the decision, its maker and reason in, one email out; a row
// without its decision is stale.
import { describe, expect, it } from '@jest/globals';
import { DeadlineType, NotificationKind } from '#domain';
import { renderEmail } from '#notifications';
import type { DispatchDecision, ClaimedLedgerRow, DispatchRecommendation } from '#persistence';
import { composeDecisionEmail, decisionKey } from './compose-decision.js';

const decidedAt = new Date('2026-12-12T22:15:00Z');

const rec: DispatchRecommendation = {
  id: 'r1',
  status: 'planned',
  actionPlanDueAt: new Date('2026-10-01T00:00:00Z'),
  dueAt: new Date('2027-06-01T00:00:00Z'),
  nextDeadlineAt: new Date('2027-06-01T00:00:00Z'),
  reference: '16',
  text: 'The force should stop detaining children overnight without a review by an inspector. It should record every review.',
  priority: false,
  progressAt: null,
  inspectionId: 'i1',
  organisationId: 'org-1',
  inspectionTitle: 'Merseyside NCPI 2018',
  organisationName: 'Merseyside Police',
  evidenceTitles: [],
  proposedBy: null,
  version: 4,
  updatedAt: new Date('2026-12-12T22:15:00Z'),
  inspectionVersion: 1,
  inspectionUpdatedAt: new Date('2026-09-01T00:00:00Z'),
};

const row = (id: string, overrides: Partial<ClaimedLedgerRow> = {}): ClaimedLedgerRow => ({
  id,
  recommendationId: 'r1',
  organisationId: 'org-1',
  deadlineType: DeadlineType.Decision,
  deadlineAt: decidedAt,
  kind: NotificationKind.Decision,
  offsetKey: 'P0D',
  recipientId: 'u1',
  recipientEmail: 'lena@merseyside.test',
  attempts: 1,
  sendAt: decidedAt,
  batchKey: 'decision.u1.0',
  messageId: '<m1@tracker.test>',
  recipientName: 'Lena Liaison',
  ...overrides,
});

const returned: DispatchDecision = {
  recommendationId: 'r1',
  at: decidedAt,
  action: 'return',
  comment: 'The audit covers one division only.\nSend the force-wide figures.',
  toStatus: 'planned',
  outcome: null,
  actorName: 'Ines Inspector',
};

describe('composeDecisionEmail', () => {
  it('tells the liaison what was decided, by whom and why, naming the recommendation by reference and short title', () => {
    const prepared = composeDecisionEmail(
      [row('n1')],
      new Map([['r1', rec]]),
      new Map([[decisionKey('r1', decidedAt), returned]]),
      'https://tracker.test',
    );
    expect(prepared.stale).toEqual([]);
    expect(prepared.content?.items[0].decision).toEqual({
      action: 'return',
      outcome: null,
      by: 'Ines Inspector',
      reason: returned.comment,
    });
    const email = renderEmail(prepared.content!);
    expect(email.subject).toBe('Decision on recommendation 16: closure returned (Merseyside Police)');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('Closure returned to the force');
      expect(part).toContain('Decided by Ines Inspector on Saturday 12 December 2026, 22:15 (UK time)');
      expect(part).toContain('The audit covers one division only.');
      expect(part).toContain('https://tracker.test/recommendations/r1');
    }
    expect(email.text).toContain('Reason:\nThe audit covers one division only.\nSend the force-wide figures.');
    expect(email.icalEvents).toBeUndefined();
  });

  it('says closed without implementation, or reopened, with no reason line when there was none', () => {
    const closed = {
      ...returned,
      action: 'close',
      outcome: 'not_implemented',
      comment: 'The force has no custody suite now',
    };
    const reopened = { ...returned, action: 'reopen', comment: null };
    const later = new Date(decidedAt.getTime() + 1);
    const prepared = composeDecisionEmail(
      [row('n1'), row('n2', { deadlineAt: later })],
      new Map([['r1', rec]]),
      new Map<string, DispatchDecision>([
        [decisionKey('r1', decidedAt), closed],
        [decisionKey('r1', later), { ...reopened, at: later }],
      ]),
      'https://tracker.test',
    );
    const email = renderEmail(prepared.content!);
    expect(email.subject).toBe('Decisions, Merseyside Police: 2 recommendations');
    expect(email.text).toContain('Closed without implementation');
    expect(email.text).toContain('Reopened');
    expect(email.text.match(/Reason:/g)).toHaveLength(1);
  });

  it('leaves a row whose decision or recommendation cannot be found as stale, and sends nothing for it', () => {
    const prepared = composeDecisionEmail(
      [row('n1'), row('n2', { recommendationId: 'gone' })],
      new Map([['r1', rec]]),
      new Map(),
      'https://tracker.test',
    );
    expect(prepared.content).toBeNull();
    expect(prepared.stale.map((s) => s.id)).toEqual(['n1', 'n2']);
  });
});
