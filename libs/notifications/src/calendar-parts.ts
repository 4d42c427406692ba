// An email's calendar part: a reminder's deadlines as the feed's own events (PUBLISH), or one event that went away
// (CANCEL).
import {
  cancelledDeadlineCalendar,
  deadlineCalendar,
  type CalendarOrganizer,
  type DeadlineEvent,
  type DeadlineEventKind,
} from '#domain';
import type { EmailContent, EmailItem } from './email-content.js';
import { groupedItems, recommendationLink } from './email-items.js';

const CALENDAR_KINDS: readonly DeadlineEventKind[] = ['action_plan', 'due_date', 'closure_review'];

/**
 * An email item's deadline as the calendar feed's event: an action plan belongs to the inspection, other deadlines to
 * the recommendation.
 */
function eventOf(item: EmailItem & { deadlineType: DeadlineEventKind }, appBaseUrl: string): DeadlineEvent {
  const base = appBaseUrl.replace(/\/+$/, '');
  const onInspection = item.deadlineType === 'action_plan' && item.inspectionId !== undefined;
  return {
    kind: item.deadlineType,
    subjectId: item.event?.subjectId ?? (onInspection ? item.inspectionId! : item.recommendationId),
    at: item.deadlineAt,
    sequence: item.event?.sequence ?? 0,
    changedAt: item.event?.changedAt ?? item.deadlineAt,
    inspectionTitle: item.inspectionTitle,
    organisationName: item.organisationName,
    reference: item.reference,
    text: item.recommendationText,
    link: onInspection
      ? `${base}/inspections/${encodeURIComponent(item.inspectionId!)}`
      : recommendationLink(appBaseUrl, item.recommendationId),
  };
}

const calendarItems = (items: readonly EmailItem[]) =>
  items.filter((item): item is EmailItem & { deadlineType: DeadlineEventKind } =>
    (CALENDAR_KINDS as readonly string[]).includes(item.deadlineType),
  );

/**
 * The reminder's calendar file: each deadline as the very event the calendar feed carries (same UID, all day on its
 * London date, same SEQUENCE and DTSTAMP, same ORGANIZER), so importing it beside a subscribed feed never gives two
 * events.
 */
export function reminderCalendar(content: EmailContent, organizer: CalendarOrganizer): string {
  return deadlineCalendar(
    calendarItems(groupedItems(content.items).flat()).map((item) => eventOf(item, content.appBaseUrl)),
    { organizer },
  );
}

/**
 * A cancellation's METHOD:CANCEL: its one event (its item's `event` carries the higher SEQUENCE and the moment it went
 * away).
 */
export function cancelCalendar(content: EmailContent, organizer: CalendarOrganizer): string {
  const [item] = calendarItems(content.items);
  if (!item) throw new Error('a calendar cancellation needs an action plan or due date item');
  return cancelledDeadlineCalendar(eventOf(item, content.appBaseUrl), { organizer, attendee: content.recipient });
}

/** What a cancellation email says went away, and why. */
export function cancelledView(item: EmailItem, date: string): { what: string; why: string } {
  return item.deadlineType === 'action_plan'
    ? {
        what: `The action plan for ${item.inspectionTitle} (${item.organisationName}), due on ${date},`,
        why: 'every recommendation of the inspection has an action plan now',
      }
    : {
        what: `Recommendation ${item.reference} of ${item.organisationName}, due on ${date},`,
        why: 'the recommendation has been closed',
      };
}
