// Deadlines derived from publication: the action plan, the revisit and each recommendation's due date.
import { addDuration, parseIsoDuration } from './durations.js';
import { invalidInput } from '../errors/domain-error.js';

/** How long after publication a programme expects the action plan and the revisit. */
export interface FollowUpPolicy {
  actionPlanAfter: string;
  revisitAfter: string;
  /** How long after publication an "immediately" recommendation is due (the inspectorate's rule); P28D when not set. */
  immediateAfter?: string;
}

/** An "immediately" recommendation is due 28 days after publication unless its programme's policy says otherwise. */
export const DEFAULT_IMMEDIATE_AFTER = 'P28D';

export const DEFAULT_FOLLOW_UP_POLICY: FollowUpPolicy = {
  actionPlanAfter: 'P6W',
  revisitAfter: 'P6M',
  immediateAfter: DEFAULT_IMMEDIATE_AFTER,
};

export const IMMEDIATELY = 'immediately';

/** 'immediately' or an ISO 8601 duration counted from publication. */
export type Timeframe = string;

export function validateTimeframe(timeframe: string, field = 'timeframe'): Timeframe {
  if (timeframe === IMMEDIATELY) return timeframe;
  try {
    parseIsoDuration(timeframe);
  } catch {
    throw invalidInput(`${field} must be "${IMMEDIATELY}" or an ISO 8601 duration such as P3M`);
  }
  return timeframe;
}

export function inspectionDeadlines(
  input: { publishedAt: Date; actionPlanDueAt?: Date | null; revisitDueAt?: Date | null },
  policy: FollowUpPolicy = DEFAULT_FOLLOW_UP_POLICY,
): { actionPlanDueAt: Date; revisitDueAt: Date } {
  const { publishedAt } = input;
  return {
    actionPlanDueAt:
      copy(input.actionPlanDueAt) ??
      addDuration(publishedAt, parseIsoDuration(policy.actionPlanAfter, 'actionPlanAfter')),
    revisitDueAt:
      copy(input.revisitDueAt) ?? addDuration(publishedAt, parseIsoDuration(policy.revisitAfter, 'revisitAfter')),
  };
}

export function recommendationDueAt(
  input: {
    publishedAt: Date;
    revisitDueAt: Date;
    timeframe?: string | null;
    dueAt?: Date | null;
  },
  policy: Pick<FollowUpPolicy, 'immediateAfter'> = DEFAULT_FOLLOW_UP_POLICY,
): Date {
  const explicit = copy(input.dueAt);
  if (explicit) return explicit;
  if (input.timeframe == null) return new Date(input.revisitDueAt);
  validateTimeframe(input.timeframe);
  const after = input.timeframe === IMMEDIATELY ? (policy.immediateAfter ?? DEFAULT_IMMEDIATE_AFTER) : input.timeframe;
  return addDuration(input.publishedAt, after);
}

/** Section 55 of the Police Act 1996: the commissioner publishes comments within 56 days of the report. */
export const commissionerCommentsDueAt = (publishedAt: Date): Date => addDuration(publishedAt, 'P56D');

// Callers may mutate what they get back; never hand them the caller's own Date.
const copy = (date: Date | null | undefined): Date | undefined => (date ? new Date(date) : undefined);
