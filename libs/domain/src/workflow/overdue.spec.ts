// The contract's overdue rule and the next deadline.
import { describe, expect, it } from '@jest/globals';
import { RecommendationStatus as S } from './states.js';
import { activeDeadlines, nextDeadlineAt, overdueState } from './overdue.js';

const plan = new Date('2018-10-11T00:00:00Z');
const due = new Date('2019-02-28T00:00:00Z');
const rec = (status: (typeof S)[keyof typeof S]) => ({ status, actionPlanDueAt: plan, dueAt: due });
const day = 86_400_000;

describe('overdue rule', () => {
  it('is not overdue before any deadline', () => {
    expect(overdueState(rec(S.Issued), new Date(plan.getTime() - 1))).toEqual({
      overdue: false,
      overdueReason: null,
      daysOverdue: null,
    });
  });

  it('is not overdue at the deadline instant, only after it', () => {
    expect(overdueState(rec(S.Issued), plan).overdue).toBe(false);
    expect(overdueState(rec(S.Issued), new Date(plan.getTime() + 1))).toMatchObject({
      overdue: true,
      overdueReason: 'action_plan',
      daysOverdue: 0,
    });
  });

  it('counts whole days from the deadline missed', () => {
    expect(overdueState(rec(S.Issued), new Date(plan.getTime() + 10 * day + 5)).daysOverdue).toBe(10);
  });

  it('an issued recommendation past both deadlines is overdue for its plan, counted from the earlier', () => {
    const now = new Date(due.getTime() + day);
    expect(overdueState(rec(S.Issued), now)).toEqual({
      overdue: true,
      overdueReason: 'action_plan',
      daysOverdue: Math.floor((now.getTime() - plan.getTime()) / day),
    });
  });

  it('a planned recommendation is overdue only after its due date', () => {
    expect(overdueState(rec(S.Planned), new Date(plan.getTime() + day)).overdue).toBe(false);
    expect(overdueState(rec(S.Planned), new Date(due.getTime() + 2 * day))).toEqual({
      overdue: true,
      overdueReason: 'due_date',
      daysOverdue: 2,
    });
  });

  it('closure proposed and closed are never overdue', () => {
    for (const status of [S.ClosureProposed, S.Closed]) {
      expect(overdueState(rec(status), new Date('2030-01-01')).overdue).toBe(false);
      expect(activeDeadlines(rec(status))).toEqual([]);
      expect(nextDeadlineAt(rec(status))).toBeNull();
    }
  });

  it('the stored sort key is the earliest active deadline', () => {
    expect(nextDeadlineAt(rec(S.Issued))).toEqual(plan);
    expect(nextDeadlineAt(rec(S.Planned))).toEqual(due);
    expect(nextDeadlineAt({ status: S.Issued, actionPlanDueAt: due, dueAt: plan })).toEqual(plan);
  });
});
