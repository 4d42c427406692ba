// How dates, statuses, RAG ratings and lateness read on the pages: GOV.UK style, in Europe/London time.
import { DateTime } from 'luxon';
import { LONDON_ZONE, NOTIFICATION_KINDS, type NotificationKind, type NotificationKindDefinition } from '#domain';

export interface Tag {
  text: string;
  classes: string;
}

/** `30 August 2018` for a deadline's day in London (a deadline at 00:00 BST is still that day). */
export function londonDate(iso: string | Date | null | undefined): string {
  if (iso == null) return '';
  const at =
    typeof iso === 'string'
      ? DateTime.fromISO(iso, { zone: LONDON_ZONE })
      : DateTime.fromJSDate(iso, { zone: LONDON_ZONE });
  return at.isValid ? at.setLocale('en-GB').toFormat('d MMMM yyyy') : '';
}

/** `30 August 2018 at 2:05pm`: GOV.UK's style for a moment, in London time. */
export function londonDateTime(iso: string | Date | null | undefined): string {
  if (iso == null) return '';
  const at =
    typeof iso === 'string'
      ? DateTime.fromISO(iso, { zone: LONDON_ZONE })
      : DateTime.fromJSDate(iso, { zone: LONDON_ZONE });
  if (!at.isValid) return '';
  return `${at.setLocale('en-GB').toFormat('d MMMM yyyy')} at ${at.toFormat('h:mma').toLowerCase()}`;
}

/** A plain calendar date such as a target date (`2026-03-31`), shown without any time-zone shift. */
export function calendarDate(isoDate: string | null | undefined): string {
  if (!isoDate) return '';
  const at = DateTime.fromISO(isoDate.slice(0, 10), { zone: 'UTC' });
  return at.isValid ? at.setLocale('en-GB').toFormat('d MMMM yyyy') : '';
}

const STATUS_TAGS: Record<string, Tag> = {
  issued: { text: 'Issued', classes: 'govuk-tag--blue' },
  planned: { text: 'Planned', classes: 'govuk-tag--light-blue' },
  closure_proposed: { text: 'Closure proposed', classes: 'govuk-tag--purple' },
  closed: { text: 'Closed', classes: 'govuk-tag--grey' },
};

/** A recommendation's status as a GOV.UK tag; an overdue open one is shown red, whatever its step. */
export function statusTag(status: string, overdue = false): Tag {
  const tag = STATUS_TAGS[status] ?? { text: humanise(status), classes: 'govuk-tag--grey' };
  return overdue ? { text: `${tag.text} – overdue`, classes: 'govuk-tag--red' } : tag;
}

const RAG_TAGS: Record<string, Tag> = {
  red: { text: 'Red', classes: 'govuk-tag--red' },
  amber: { text: 'Amber', classes: 'govuk-tag--orange' },
  green: { text: 'Green', classes: 'govuk-tag--green' },
};

/** The force's own RAG rating; none yet reads "Not rated". */
export function ragTag(rag: string | null | undefined): Tag {
  return (rag && RAG_TAGS[rag]) || { text: 'Not rated', classes: 'govuk-tag--grey' };
}

const OUTCOMES: Record<string, string> = {
  implemented: 'Implemented',
  not_implemented: 'Not implemented',
  superseded: 'Superseded',
};
const RESPONSES: Record<string, string> = {
  agreed: 'Agreed',
  partly_agreed: 'Partly agreed',
  not_agreed: 'Not agreed',
};
const REASONS: Record<string, string> = { action_plan: 'Action plan not submitted', due_date: 'Past its due date' };

export const outcomeText = (outcome: string | null | undefined): string =>
  outcome ? (OUTCOMES[outcome] ?? humanise(outcome)) : '';
export const responseText = (response: string | null | undefined): string =>
  response ? (RESPONSES[response] ?? humanise(response)) : '';
export const overdueReasonText = (reason: string | null | undefined): string =>
  reason ? (REASONS[reason] ?? humanise(reason)) : '';

/**
 * `1 day overdue`, `12 days overdue`; `Overdue today` for a deadline passed less than a day ago; empty when not
 * overdue.
 */
export function daysOverdueText(daysOverdue: number | null | undefined): string {
  if (daysOverdue == null) return '';
  if (daysOverdue === 0) return 'Overdue today';
  return `${daysOverdue.toLocaleString('en-GB')} ${daysOverdue === 1 ? 'day' : 'days'} overdue`;
}

/** `closure_proposed` → `Closure proposed`; `closedAt` → `Closed at`. */
/** A notification kind's name on a page (NOTIFICATION_KINDS' labels): in the notification log or the readiness pack. */
export function kindLabel(kind: string, place: keyof NotificationKindDefinition['labels']): string {
  return Object.hasOwn(NOTIFICATION_KINDS, kind)
    ? NOTIFICATION_KINDS[kind as NotificationKind].labels[place]
    : humanise(kind);
}

export function humanise(code: string): string {
  const words = code
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A planned recommendation with no progress update for STALE_AFTER. */
export const NO_RECENT_PROGRESS: Tag = { text: 'No recent progress', classes: 'govuk-tag--yellow' };

/** `waiting 1 day`, `waiting 12 days`, `waiting since today`. */
export function waitingText(days: number): string {
  if (days <= 0) return 'since today';
  return `${days.toLocaleString('en-GB')} ${days === 1 ? 'day' : 'days'}`;
}
