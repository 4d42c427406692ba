// Unit tests of "no recent progress": when a planned recommendation is stale, and one nudge per period per liaison
// officer.
import { describe, expect, it } from '@jest/globals';
import { DeadlineType, NotificationKind } from './kinds.js';
import { always, day, liaison } from './plan.fixtures.js';
import { isStillDue, type NotificationSettings } from './plan.js';
import { hasNoRecentProgress, nextStaleNudge, planStaleNudges, stalePeriodReached } from './stale.js';

const settings: NotificationSettings = { ...always, reminderOffsets: [], staleAfter: 'P30D' };
const progressAt = new Date('2026-01-05T10:00:00Z');
const planned = { id: 'rec-1', status: 'planned', progressAt };

describe('no recent progress', () => {
  it('is a planned recommendation whose last progress is STALE_AFTER old or older, nothing else', () => {
    expect(hasNoRecentProgress(planned, new Date(progressAt.getTime() + 29 * day), 'P30D')).toBe(false);
    expect(hasNoRecentProgress(planned, new Date(progressAt.getTime() + 30 * day), 'P30D')).toBe(true);
    expect(
      hasNoRecentProgress(
        { ...planned, status: 'closure_proposed' },
        new Date(progressAt.getTime() + 90 * day),
        'P30D',
      ),
    ).toBe(false);
    expect(
      hasNoRecentProgress({ ...planned, progressAt: null }, new Date(progressAt.getTime() + 90 * day), 'P30D'),
    ).toBe(false);
  });

  it('plans the first period ahead, at STALE_AFTER after the last progress, to each liaison officer', () => {
    const [nudge] = planStaleNudges(planned, [liaison], settings, new Date(progressAt.getTime() + day));
    expect(nudge).toMatchObject({
      kind: NotificationKind.Stale,
      deadlineType: DeadlineType.NoProgress,
      deadlineAt: progressAt,
      offsetKey: 'period-1',
      sendAt: new Date(progressAt.getTime() + 30 * day),
    });
    expect(planStaleNudges({ ...planned, status: 'issued' }, [liaison], settings, progressAt)).toEqual([]);
    expect(planStaleNudges(planned, [liaison], { ...settings, staleAfter: undefined }, progressAt)).toEqual([]);
  });

  it('planned late, sends the period reached now (once), not one per period missed; after it, the next period', () => {
    const now = new Date(progressAt.getTime() + 75 * day);
    expect(stalePeriodReached(progressAt, 'P30D', now)).toBe(2);
    const [late] = planStaleNudges(planned, [liaison], settings, now);
    expect(late).toMatchObject({ offsetKey: 'period-2', sendAt: now });
    // Planned again (any later change): the same dedup key, so the ledger keeps one row.
    expect(planStaleNudges(planned, [liaison], settings, new Date(now.getTime() + 1000))[0].dedupKey).toBe(
      late.dedupKey,
    );
    const next = nextStaleNudge(
      { recommendationId: 'rec-1', progressAt, offsetKey: late.offsetKey, recipient: liaison },
      { ...settings, staleAfter: 'P30D' },
      now,
    );
    // Days are London days: 10:00 on 5 January is 10:00 BST (09:00 UTC) on 5 April.
    expect(next).toMatchObject({ offsetKey: 'period-3', sendAt: new Date('2026-04-05T09:00:00Z') });
  });

  it('stops being due at the next progress, or when the recommendation leaves planned', () => {
    const entry = { kind: NotificationKind.Stale, deadlineType: DeadlineType.NoProgress, deadlineAt: progressAt };
    const deadlines = { actionPlanDueAt: progressAt, dueAt: new Date(progressAt.getTime() + 365 * day) };
    expect(isStillDue(entry, { ...deadlines, status: 'planned', progressAt }, progressAt)).toBe(true);
    expect(
      isStillDue(
        entry,
        { ...deadlines, status: 'planned', progressAt: new Date(progressAt.getTime() + day) },
        progressAt,
      ),
    ).toBe(false);
    expect(isStillDue(entry, { ...deadlines, status: 'closure_proposed', progressAt }, progressAt)).toBe(false);
  });
});
