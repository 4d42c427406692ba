// What each kind's email says in its subject and why its recipient gets it: one entry per kind, the compiler checks
// them all.
import { wholeDaysBetween, type NotificationKind } from '#domain';
import { decisionShort } from './decision-text.js';
import type { EmailItem } from './email-content.js';

/**
 * What a subject is made of: the email's entries (a recommendation's deadlines each), the force(s), the earliest date.
 */
export interface SubjectFacts {
  groups: readonly EmailItem[][];
  /** The force's name, or "3 forces". */
  scope: string;
  /** The first entry's deadline, e.g. "11 October 2018". */
  earliest: string;
  /** "1 recommendation", "2 recommendations". */
  recommendations: string;
}

export interface EmailWording {
  subject: (facts: SubjectFacts) => string;
  /** Why the recipient gets it (empty when the kind's template says so itself). */
  why: (scope: string) => string;
}

const LIAISON_WHY = (scope: string) =>
  `You are getting this email because you are a liaison officer for ${scope} in the Follow-up Tracker.`;

export const EMAIL_WORDING: Record<NotificationKind, EmailWording> = {
  reminder: {
    subject: ({ scope, recommendations, earliest }) =>
      `Reminder, ${scope}: ${recommendations} due, the first on ${earliest}`,
    why: LIAISON_WHY,
  },
  overdue: {
    subject: ({ scope, recommendations, earliest }) =>
      `Overdue, ${scope}: ${recommendations}, the first due on ${earliest}`,
    why: (scope) =>
      `You are getting this email because you are a liaison officer for ${scope}, or you lead the inspection.`,
  },
  escalation: {
    subject: ({ groups, scope, recommendations, earliest }) => {
      const overdue = groups.map((g) => Math.max(...g.map(daysOverdueOf)));
      const max = Math.max(0, ...overdue);
      const upTo = overdue.some((d) => d !== max) ? 'up to ' : '';
      return `Escalation, ${scope}: ${recommendations} overdue ${upTo}${days(max)}, since ${earliest}`;
    },
    why: (scope) =>
      `You are getting this email because overdue recommendations of ${scope} are escalated to you as a manager.`,
  },
  review_needed: {
    subject: ({ scope, recommendations, earliest }) =>
      `Evidence to review, ${scope}: ${recommendations}, the first review due on ${earliest}`,
    why: () => 'You are getting this email because you lead the inspection these recommendations belong to.',
  },
  overdue_summary: {
    subject: ({ scope, recommendations, earliest }) =>
      `Weekly overdue summary, ${scope}: ${recommendations}, overdue since ${earliest}`,
    why: (scope) => `You are getting this email because you are a manager of ${scope} in the Follow-up Tracker.`,
  },
  decision: {
    subject: ({ groups, scope, recommendations }) => {
      const first = groups[0]?.[0];
      if (groups.length === 1 && first?.decision)
        return `Decision on recommendation ${first.reference}: ${decisionShort(first.decision)} (${first.organisationName})`;
      return `Decisions, ${scope}: ${recommendations}`;
    },
    why: () => '', // its template says why
  },
  stale: {
    subject: ({ scope, recommendations }) => `No recent progress, ${scope}: ${recommendations} not updated lately`,
    why: LIAISON_WHY,
  },
  calendar_cancel: {
    subject: ({ groups, scope, earliest }) => {
      const first = groups[0]?.[0];
      if (first?.deadlineType === 'action_plan')
        return `Cancelled, ${scope}: the action plan deadline of ${earliest} is no longer due`;
      return `Cancelled, ${scope}: recommendation ${first?.reference ?? ''} due ${earliest} is no longer due`;
    },
    why: () =>
      'You are getting this email because an earlier reminder from the Follow-up Tracker put this deadline in your calendar.',
  },
};

// Callers normally pass daysOverdue; falling back to the clock keeps an escalation subject meaningful without it.
function daysOverdueOf(item: EmailItem): number {
  return item.daysOverdue ?? wholeDaysBetween(item.deadlineAt, Date.now());
}

export function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}
