// Unit tests of the notification plan: which reminders, overdue notices and escalations a recommendation's deadlines
// call for, retries and staleness (decision notices: plan-decisions.spec.ts).
import { describe, expect, it } from '@jest/globals';
import { Role } from '../roles.js';
import { RecommendationStatus as S } from '../workflow/states.js';
import { DeadlineType, NotificationKind } from './kinds.js';
import {
  retryDelayMs,
  RETRY_DELAY_CAP_MS,
  isStillDue,
  nextEscalation,
  planRecommendationNotifications,
  planReviewNeeded,
  type NotificationSettings,
} from './plan.js';
import { actionPlanDueAt, always, day, dueAt, liaison, person } from './plan.fixtures.js';

const inspector = person('inspector-1', Role.Inspector);
const manager = person('manager-1', Role.Manager);
const audience = { liaisons: [liaison], leadInspector: inspector, managers: [manager] };
const rec = { id: 'rec-1', priority: false, status: S.Issued, actionPlanDueAt, dueAt };

describe('planning the notifications of a recommendation', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const planned = planRecommendationNotifications(rec, audience, always, now);
  const of = (kind: string, type: string) => planned.filter((p) => p.kind === kind && p.deadlineType === type);

  it('reminds the liaison at every offset before both deadlines while issued', () => {
    expect(of(NotificationKind.Reminder, DeadlineType.ActionPlan).map((p) => p.sendAt.getTime())).toEqual(
      [14, 7, 1].map((d) => actionPlanDueAt.getTime() - d * day),
    );
    expect(of(NotificationKind.Reminder, DeadlineType.DueDate)).toHaveLength(3);
    expect(
      planned.filter((p) => p.kind === NotificationKind.Reminder).every((p) => p.recipientId === liaison.userId),
    ).toBe(true);
  });

  it('sends the overdue notice at the deadline to liaison and lead inspector, and escalates to managers after ESCALATE_AFTER', () => {
    expect(of(NotificationKind.Overdue, DeadlineType.ActionPlan).map((p) => [p.recipientId, p.sendAt])).toEqual([
      [liaison.userId, actionPlanDueAt],
      [inspector.userId, actionPlanDueAt],
    ]);
    expect(
      of(NotificationKind.Escalation, DeadlineType.ActionPlan).map((p) => [p.recipientId, p.sendAt.getTime()]),
    ).toEqual([[manager.userId, actionPlanDueAt.getTime() + 7 * day]]);
  });

  it('plans only the due date once the plan is submitted', () => {
    const types = new Set(
      planRecommendationNotifications({ ...rec, status: S.Planned }, audience, always, now).map((p) => p.deadlineType),
    );
    expect([...types]).toEqual([DeadlineType.DueDate]);
    expect(planRecommendationNotifications({ ...rec, status: S.ClosureProposed }, audience, always, now)).toEqual([]);
  });

  it('skips reminders whose moment has passed, and sends the overdue notice now for a passed deadline', () => {
    const late = new Date(actionPlanDueAt.getTime() + 2 * day);
    const lateOnes = planRecommendationNotifications(rec, audience, always, late).filter(
      (p) => p.deadlineType === DeadlineType.ActionPlan,
    );
    expect(lateOnes.some((p) => p.kind === NotificationKind.Reminder)).toBe(false);
    expect(
      lateOnes.filter((p) => p.kind === NotificationKind.Overdue).every((p) => p.sendAt.getTime() === late.getTime()),
    ).toBe(true);
  });

  it('escalates a long-passed deadline once, at the step it has reached', () => {
    const later = new Date(actionPlanDueAt.getTime() + 30 * day);
    const [escalation] = planRecommendationNotifications(rec, audience, always, later).filter(
      (p) => p.kind === NotificationKind.Escalation && p.deadlineType === DeadlineType.ActionPlan,
    );
    expect(escalation.offsetKey).toBe('step-3');
    expect(escalation.sendAt).toEqual(later);
  });

  it('holds reminders for the send window and digests, not overdue notices', () => {
    const window: NotificationSettings = {
      ...always,
      sendWindow: { kind: 'working_hours', startMinutes: 8 * 60, endMinutes: 18 * 60 },
    };
    // Deadline Monday 2027-01-11 10:00: the P7D reminder falls on Monday 4 Jan 10:00 (in window), P14D on Mon 28 Dec
    // (bank holiday) 10:00.
    const monday = { ...rec, actionPlanDueAt: new Date('2027-01-11T10:00:00Z') };
    const held = planRecommendationNotifications(monday, audience, window, now).filter(
      (p) => p.kind === NotificationKind.Reminder && p.deadlineType === DeadlineType.ActionPlan,
    );
    // P1D falls on Sunday 10 Jan: held to Monday 08:00, still before the 10:00 deadline.
    expect(held.map((p) => p.sendAt.toISOString())).toEqual([
      '2026-12-29T08:00:00.000Z',
      '2027-01-04T10:00:00.000Z',
      '2027-01-11T08:00:00.000Z',
    ]);
    const dailyDigest = { ...audience, liaisons: [person('liaison-2', Role.Liaison, 'daily_digest')] };
    const digested = planRecommendationNotifications(monday, dailyDigest, window, now).filter(
      (p) => p.kind === NotificationKind.Reminder && p.deadlineType === DeadlineType.ActionPlan,
    );
    // A daily digest goes at the first window opening strictly after the reminder's moment.
    expect(digested.map((p) => p.sendAt.toISOString())).toEqual([
      '2026-12-29T08:00:00.000Z',
      '2027-01-05T08:00:00.000Z',
      '2027-01-11T08:00:00.000Z',
    ]);
  });

  it('gives a moved deadline a fresh series of identities', () => {
    const moved = planRecommendationNotifications(
      { ...rec, actionPlanDueAt: new Date(actionPlanDueAt.getTime() + day) },
      audience,
      always,
      now,
    );
    const before = new Set(planned.filter((p) => p.deadlineType === DeadlineType.ActionPlan).map((p) => p.dedupKey));
    expect(moved.filter((p) => p.deadlineType === DeadlineType.ActionPlan).some((p) => before.has(p.dedupKey))).toBe(
      false,
    );
    const unchanged = new Set(planned.filter((p) => p.deadlineType === DeadlineType.DueDate).map((p) => p.dedupKey));
    expect(moved.filter((p) => p.deadlineType === DeadlineType.DueDate).every((p) => unchanged.has(p.dedupKey))).toBe(
      true,
    );
  });
});

describe('retries', () => {
  it('backs off transient failures exponentially from the base, up to the cap', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 100))).toEqual([100, 200, 400, 800]);
    expect(retryDelayMs(0, 100)).toBe(100);
    expect(retryDelayMs(20, 5000)).toBe(RETRY_DELAY_CAP_MS);
    expect(retryDelayMs(10_000, 5000)).toBe(RETRY_DELAY_CAP_MS);
    expect(retryDelayMs(3, 1000, 2500)).toBe(2500);
  });
});

describe('staleness', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const entry = (kind: NotificationKind, deadlineType: DeadlineType, deadlineAt: Date) => ({
    kind,
    deadlineType,
    deadlineAt,
  });

  it('a reminder is stale when its deadline moved, ended, or passed', () => {
    expect(isStillDue(entry(NotificationKind.Reminder, DeadlineType.ActionPlan, actionPlanDueAt), rec, now)).toBe(true);
    expect(isStillDue(entry(NotificationKind.Reminder, DeadlineType.ActionPlan, new Date(0)), rec, now)).toBe(false);
    expect(
      isStillDue(
        entry(NotificationKind.Reminder, DeadlineType.ActionPlan, actionPlanDueAt),
        { ...rec, status: S.Planned },
        now,
      ),
    ).toBe(false);
    expect(
      isStillDue(
        entry(NotificationKind.Reminder, DeadlineType.ActionPlan, actionPlanDueAt),
        rec,
        new Date(actionPlanDueAt.getTime() + 1),
      ),
    ).toBe(false);
  });

  it('an overdue notice or escalation is due only while the recommendation is overdue for that deadline', () => {
    const after = new Date(actionPlanDueAt.getTime() + day);
    expect(isStillDue(entry(NotificationKind.Overdue, DeadlineType.ActionPlan, actionPlanDueAt), rec, after)).toBe(
      true,
    );
    expect(
      isStillDue(
        entry(NotificationKind.Escalation, DeadlineType.ActionPlan, actionPlanDueAt),
        { ...rec, status: S.Planned },
        after,
      ),
    ).toBe(false);
    expect(
      isStillDue(
        entry(NotificationKind.Overdue, DeadlineType.DueDate, dueAt),
        { ...rec, status: S.ClosureProposed },
        new Date(dueAt.getTime() + day),
      ),
    ).toBe(false);
  });

  it('a review alert is due while closure is proposed', () => {
    const review = planReviewNeeded('rec-1', now, inspector, always);
    expect(isStillDue(review, { ...rec, status: S.ClosureProposed }, now)).toBe(true);
    expect(isStillDue(review, { ...rec, status: S.Planned }, now)).toBe(false);
  });
});

describe('escalation ladder', () => {
  it('the next escalation is ESCALATE_EVERY after the previous, with its own identity', () => {
    const now = new Date(actionPlanDueAt.getTime() + 8 * day);
    const first = {
      recommendationId: 'rec-1',
      deadlineType: DeadlineType.ActionPlan,
      deadlineAt: actionPlanDueAt,
      offsetKey: 'step-0',
      recipientId: manager.userId,
      recipientEmail: manager.email,
    };
    const second = nextEscalation(first, always, now);
    expect(second.offsetKey).toBe('step-1');
    expect(second.sendAt).toEqual(new Date(actionPlanDueAt.getTime() + 14 * day));
    expect(nextEscalation({ ...first, offsetKey: second.offsetKey }, always, now).sendAt).toEqual(
      new Date(actionPlanDueAt.getTime() + 21 * day),
    );
  });

  it('names a step by its place on the ladder, whatever ESCALATE_AFTER and ESCALATE_EVERY say', () => {
    const at = new Date(actionPlanDueAt.getTime() + 9 * day);
    const keyUnder = (escalateAfter: string, escalateEvery: string) =>
      planRecommendationNotifications(rec, audience, { ...always, escalateAfter, escalateEvery }, at)
        .filter((p) => p.kind === NotificationKind.Escalation && p.deadlineType === DeadlineType.ActionPlan)
        .map((p) => p.dedupKey);
    // Day 9: the first step under P7D or P8D, with the same identity; settings alone never make a new one.
    expect(keyUnder('P8D', 'P7D')).toEqual(keyUnder('P7D', 'P7D'));
    expect(keyUnder('P8D', 'P14D')).toEqual(keyUnder('P7D', 'P7D'));
    expect(keyUnder('P7D', 'P7D')[0]).toContain('|escalation|step-0|');
  });

  it('after a step sent late, or under shorter settings, plans the next step still ahead rather than a burst of missed ones', () => {
    const first = {
      recommendationId: 'rec-1',
      deadlineType: DeadlineType.ActionPlan,
      deadlineAt: actionPlanDueAt,
      offsetKey: 'step-1',
      recipientId: manager.userId,
      recipientEmail: manager.email,
    };
    // Step 1 went out on day 14 (under P7D); the settings are now P3D/P3D, whose steps fall on days 3, 6, 9, 12, 15...
    const now = new Date(actionPlanDueAt.getTime() + 14 * day);
    const next = nextEscalation(first, { ...always, escalateAfter: 'P3D', escalateEvery: 'P3D' }, now);
    expect(next.offsetKey).toBe('step-4');
    expect(next.sendAt).toEqual(new Date(actionPlanDueAt.getTime() + 15 * day));
  });

  it('reads the step of a ledger row written before step names', () => {
    const old = {
      recommendationId: 'rec-1',
      deadlineType: DeadlineType.ActionPlan,
      deadlineAt: actionPlanDueAt,
      offsetKey: 'P7D+2xP7D',
      recipientId: manager.userId,
      recipientEmail: manager.email,
    };
    expect(nextEscalation(old, always, new Date(actionPlanDueAt.getTime() + 21 * day)).offsetKey).toBe('step-3');
  });
});
