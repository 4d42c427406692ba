// The contract's overdue rule and the earliest active deadline stored as next_deadline_at.
import { DeadlineType } from '../notifications/kinds.js';
import { wholeDaysBetween } from '../time/units.js';
import { RecommendationStatus as S, type RecommendationStatus } from './states.js';

export interface RecommendationDeadlines {
  status: RecommendationStatus;
  actionPlanDueAt: Date;
  dueAt: Date;
}

export interface ActiveDeadline {
  type: typeof DeadlineType.ActionPlan | typeof DeadlineType.DueDate;
  at: Date;
}

export type OverdueReason = 'action_plan' | 'due_date';

export interface OverdueState {
  overdue: boolean;
  overdueReason: OverdueReason | null;
  daysOverdue: number | null;
}

/** The deadlines a recommendation can still miss: the plan while issued, the due date until closure is proposed. */
export function activeDeadlines(r: RecommendationDeadlines): ActiveDeadline[] {
  switch (r.status) {
    case S.Issued:
      return [
        { type: DeadlineType.ActionPlan, at: r.actionPlanDueAt },
        { type: DeadlineType.DueDate, at: r.dueAt },
      ];
    case S.Planned:
      return [{ type: DeadlineType.DueDate, at: r.dueAt }];
    default:
      return [];
  }
}

/** Earliest active deadline: stored so that "most overdue first" is one index scan. */
export function nextDeadlineAt(r: RecommendationDeadlines): Date | null {
  const times = activeDeadlines(r).map((d) => d.at.getTime());
  return times.length === 0 ? null : new Date(Math.min(...times));
}

export function isOverdueFor(r: RecommendationDeadlines, type: ActiveDeadline['type'], now: Date): boolean {
  return activeDeadlines(r).some((d) => d.type === type && d.at.getTime() < now.getTime());
}

/**
 * The contract's overdue rule. When both deadlines have passed, the missing action plan is the reason
 * (it is the first thing the force owes); days are counted from the earliest deadline missed.
 */
export function overdueState(r: RecommendationDeadlines, now: Date): OverdueState {
  const passed = activeDeadlines(r).filter((d) => d.at.getTime() < now.getTime());
  if (passed.length === 0) return { overdue: false, overdueReason: null, daysOverdue: null };
  const earliest = Math.min(...passed.map((d) => d.at.getTime()));
  const reason: OverdueReason = passed.some((d) => d.type === DeadlineType.ActionPlan) ? 'action_plan' : 'due_date';
  return { overdue: true, overdueReason: reason, daysOverdue: wholeDaysBetween(earliest, now) };
}
