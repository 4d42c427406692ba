// Unit tests of the decision notices: an inspector's decision told at once to each recipient, and never stale.
import { describe, expect, it } from '@jest/globals';
import { Role } from '../roles.js';
import { DEFAULT_SEND_WINDOW } from '../time/send-window.js';
import { RecommendationStatus as S } from '../workflow/states.js';
import { DeadlineType, NotificationKind } from './kinds.js';
import { isStillDue, planDecisionNotices, type NotificationSettings } from './plan.js';
import { actionPlanDueAt, always, day, dueAt, liaison, person } from './plan.fixtures.js';

describe('decision notices', () => {
  // Saturday 23:30 London: outside any working-hours send window, which decisions do not wait for.
  const decidedAt = new Date('2026-11-28T23:30:00Z');
  const owner = person('owner-1', Role.Liaison, 'daily_digest');
  const secondLiaison = person('liaison-2', Role.Liaison);
  const window: NotificationSettings = { ...always, sendWindow: DEFAULT_SEND_WINDOW };

  it('tells every recipient once, at the moment of the decision, whatever their reminder preference', () => {
    const planned = planDecisionNotices('rec-1', decidedAt, [liaison, secondLiaison, owner, liaison], window);
    expect(planned.map((p) => p.recipientId)).toEqual([liaison.userId, secondLiaison.userId, owner.userId]);
    for (const p of planned) {
      expect(p).toMatchObject({
        kind: NotificationKind.Decision,
        deadlineType: DeadlineType.Decision,
        deadlineAt: decidedAt,
        sendAt: decidedAt,
        offsetKey: 'P0D',
      });
    }
    expect(new Set(planned.map((p) => p.dedupKey)).size).toBe(3);
  });

  it('is identified by the decision: a second decision is a second notice, the same one planned again is not', () => {
    const first = planDecisionNotices('rec-1', decidedAt, [liaison], always)[0];
    expect(planDecisionNotices('rec-1', decidedAt, [liaison], always)[0].dedupKey).toBe(first.dedupKey);
    expect(planDecisionNotices('rec-1', new Date(decidedAt.getTime() + 1), [liaison], always)[0].dedupKey).not.toBe(
      first.dedupKey,
    );
  });

  it('stays due whatever the recommendation does next', () => {
    const entry = { kind: NotificationKind.Decision, deadlineType: DeadlineType.Decision, deadlineAt: decidedAt };
    for (const status of [S.Issued, S.Planned, S.ClosureProposed, S.Closed]) {
      expect(isStillDue(entry, { status, actionPlanDueAt, dueAt }, new Date(decidedAt.getTime() + 60 * day))).toBe(
        true,
      );
    }
  });
});
