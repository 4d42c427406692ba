// One deadline as one calendar event, written the same way for the calendar feed and for a reminder's .ics attachment.
import { DateTime } from 'luxon';
import { LONDON, LONDON_ZONE } from '../time/london-zone.js';

/**
 * What a deadline event is about: an inspection's action plan or revisit, a recommendation's due date or closure
 * review.
 */
export type DeadlineEventKind = 'action_plan' | 'due_date' | 'revisit' | 'closure_review';

export interface DeadlineEvent {
  kind: DeadlineEventKind;
  /** The inspection (action plan, revisit) or recommendation (due date, closure review) the deadline belongs to. */
  subjectId: string;
  at: Date;
  /** The subject's version: it grows with every change, a moved deadline included (RFC 5545 SEQUENCE). */
  sequence: number;
  /** When the subject last changed: DTSTAMP, stable while nothing changes. */
  changedAt: Date;
  inspectionTitle: string;
  organisationName: string;
  reference: string | null;
  text: string | null;
  link: string;
}

/**
 * One UID per deadline, never per date: the feed and every attachment name the same event, and a moved deadline updates
 * it.
 */
export const deadlineEventUid = (kind: DeadlineEventKind, subjectId: string): string =>
  `${kind}-${subjectId}@followup-tracker`;

const SUMMARY: Record<DeadlineEventKind, (e: DeadlineEvent) => string> = {
  action_plan: (e) => `Action plan due: ${e.inspectionTitle} (${e.organisationName})`,
  due_date: (e) => `Recommendation ${e.reference} due (${e.organisationName})`,
  revisit: (e) => `Revisit due: ${e.inspectionTitle} (${e.organisationName})`,
  closure_review: (e) => `Closure review: Recommendation ${e.reference} (${e.organisationName})`,
};

/** RFC 5545 text: backslash, semicolon, comma and new lines escaped. */
const escapeText = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** RFC 5545 folding: lines of at most 75 octets, continued with a leading space. */
function fold(line: string): string {
  if (Buffer.byteLength(line, 'utf8') <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const length = Buffer.byteLength(char, 'utf8');
    if (size + length > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += length;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const utcStamp = (at: Date): string => DateTime.fromJSDate(at, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
const londonDay = (at: DateTime): string => at.toFormat('yyyyLLdd');

/**
 * The service as every event's ORGANIZER (iTIP wants one; a METHOD:CANCEL is only matched to an event with the same).
 */
export interface CalendarOrganizer {
  /** MAIL_FROM: the address every reminder and cancellation comes from. */
  email: string;
  name: string;
}

/** The ORGANIZER's name on every event: the service, which sends every reminder (at MAIL_FROM). */
export const CALENDAR_ORGANIZER_NAME = 'Follow-up Tracker';

const organizerLine = (organizer: CalendarOrganizer): string =>
  `ORGANIZER;CN=${paramText(organizer.name)}:mailto:${organizer.email}`;

/** A parameter value: quoted when it holds a separator, never a double quote (RFC 5545 3.2). */
const paramText = (text: string): string => {
  const clean = text.replace(/["\r\n]/g, '');
  return /[;:,]/.test(clean) ? `"${clean}"` : clean;
};

/** A deadline is a date in London: an all-day event on that London date. */
function eventLines(event: DeadlineEvent, organizer?: CalendarOrganizer): string[] {
  const due = DateTime.fromJSDate(event.at, { zone: LONDON_ZONE });
  const description = `${event.kind === 'due_date' && event.text ? `${event.text}\n\n` : ''}${event.inspectionTitle}\nDue ${due.toFormat('d MMMM yyyy, HH:mm')} (${LONDON})\n\n${event.link}`;
  return [
    'BEGIN:VEVENT',
    `UID:${deadlineEventUid(event.kind, event.subjectId)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcStamp(event.changedAt)}`,
    `DTSTART;VALUE=DATE:${londonDay(due)}`,
    `DTEND;VALUE=DATE:${londonDay(due.plus({ days: 1 }))}`,
    `SUMMARY:${escapeText(SUMMARY[event.kind](event))}`,
    `DESCRIPTION:${escapeText(description)}`,
    `URL:${event.link}`,
    ...(organizer ? [organizerLine(organizer)] : []),
    'STATUS:CONFIRMED',
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
  ];
}

/**
 * A METHOD:CANCEL for one deadline event that went away (RFC 5546 3.2.5): the same UID, a SEQUENCE higher than any
 * sent,
 * the same ORGANIZER as the reminders carried, the person it goes to as ATTENDEE, STATUS:CANCELLED. One UID per
 * message.
 */
export function cancelledDeadlineCalendar(
  event: DeadlineEvent,
  people: { organizer: CalendarOrganizer; attendee: { email: string; name: string } },
): string {
  const due = DateTime.fromJSDate(event.at, { zone: LONDON_ZONE });
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//HMICFRS//Follow-up Tracker//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:CANCEL',
    'BEGIN:VEVENT',
    `UID:${deadlineEventUid(event.kind, event.subjectId)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcStamp(event.changedAt)}`,
    `DTSTART;VALUE=DATE:${londonDay(due)}`,
    `DTEND;VALUE=DATE:${londonDay(due.plus({ days: 1 }))}`,
    `SUMMARY:${escapeText(SUMMARY[event.kind](event))}`,
    `DESCRIPTION:${escapeText(`No longer due: the deadline went away.\n\n${event.link}`)}`,
    `URL:${event.link}`,
    organizerLine(people.organizer),
    `ATTENDEE;CN=${paramText(people.attendee.name)}:mailto:${people.attendee.email}`,
    'STATUS:CANCELLED',
    'TRANSP:TRANSPARENT',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ];
  return lines.map(fold).join('\r\n');
}

/**
 * A calendar of deadline events (one per UID: the first wins), CRLF lines folded. Written directly rather than
 * through the `ics` package, which validates each event with a schema and took over a second for 2,000 events.
 */
export function deadlineCalendar(
  events: readonly DeadlineEvent[],
  options: { name?: string; organizer?: CalendarOrganizer } = {},
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//HMICFRS//Follow-up Tracker//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
  ];
  if (options.name) lines.push(`X-WR-CALNAME:${options.name}`, `X-WR-TIMEZONE:${LONDON}`);
  const seen = new Set<string>();
  for (const event of events) {
    const uid = deadlineEventUid(event.kind, event.subjectId);
    if (seen.has(uid)) continue;
    seen.add(uid);
    lines.push(...eventLines(event, options.organizer));
  }
  lines.push('END:VCALENDAR', '');
  return lines.map(fold).join('\r\n');
}
