// When a reminder's calendar event goes away for good, and the one cancellation each person who was sent it gets.
import { RecommendationStatus } from '../workflow/states.js';
import { type DeadlineType, NotificationKind } from './kinds.js';
import { batchKeyFor, dedupKeyFor } from './keys.js';
import type { PlannedNotification } from './plan.js';

/**
 * The deadlines whose reminders carry a calendar event (an action plan's is the inspection's, a due date the
 * recommendation's).
 */
export type CalendarDeadlineType = typeof DeadlineType.ActionPlan | typeof DeadlineType.DueDate;

/**
 * Is a due date's event gone for good? Only once the recommendation is closed: while a closure proposal waits the feed
 * leaves it out, but a return brings it back, so a calendar that imported it keeps it until the decision.
 * (Reopening brings it back too: the next reminder carries it again, with a higher SEQUENCE.)
 */
export const dueDateEventGone = (status: string): boolean => status === RecommendationStatus.Closed;

/**
 * Is an action plan's event gone for good? Once no recommendation of the inspection is still issued: no workflow step
 * leads back to issued, so it never returns.
 */
export const actionPlanEventGone = (issuedLeft: number): boolean => issuedLeft === 0;

/** The last reminder one person was sent about one calendar event (the ledger's sent row), as the planner reads it. */
export interface SentCalendarEvent {
  /**
   * The reminder's id: a cancellation covers every reminder up to it, and a later one needs a cancellation of its own.
   */
  reminderId: string;
  recommendationId: string;
  deadlineType: CalendarDeadlineType;
  /** The date that reminder's event had: the cancellation names it (DTSTART), as the calendar holds it. */
  deadlineAt: Date;
  recipientId: string;
  /** The address it went to: the cancellation goes there too. */
  recipientEmail: string;
}

/** The offset key of a cancellation: which reminder it answers (`after-<reminder id>`). */
export const calendarCancelOffsetKey = (reminderId: string): string => `after-${reminderId}`;

/**
 * One cancellation per person and event, due at once (not held for the send window or a digest: it corrects what a
 * calendar shows), each its own email (an iTIP message carries one UID). Identified by the last reminder it answers,
 * so planning it again after any change, in any process, is the same row and it is sent once.
 */
export function planCalendarCancels(
  sent: readonly SentCalendarEvent[],
  settings: { digestWindowMs: number },
  now: Date,
): PlannedNotification[] {
  const kind = NotificationKind.CalendarCancel;
  return sent.map((s) => {
    const offsetKey = calendarCancelOffsetKey(s.reminderId);
    return {
      dedupKey: dedupKeyFor(s.recommendationId, s.deadlineType, s.deadlineAt, kind, offsetKey, s.recipientId),
      recommendationId: s.recommendationId,
      deadlineType: s.deadlineType,
      deadlineAt: s.deadlineAt,
      kind,
      offsetKey,
      recipientId: s.recipientId,
      recipientEmail: s.recipientEmail,
      sendAt: now,
      batchKey: `${batchKeyFor(kind, s.recipientId, now, settings.digestWindowMs)}.${s.reminderId}`,
    };
  });
}
