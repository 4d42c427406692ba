// Each user's deadlines as an iCalendar feed behind a secret token, stored only as its hash.
import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { LONDON, LONDON_ZONE, notFound, type Actor } from '#domain';
import { Storage, type DeadlineRow } from '#persistence';
import { CLOCK, type Clock } from '../tokens.js';
import { UsersService } from '../users.service.js';

/** The most events one feed carries (soonest first): a calendar client chokes on more. */
export const CALENDAR_EVENT_LIMIT = 5_000;

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

@Injectable()
export class CalendarService {
  constructor(
    private readonly storage: Storage,
    private readonly users: UsersService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A new token for `actor`'s feed; the previous one stops working at once. */
  async replaceToken(actor: Actor): Promise<{ token: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.storage.transaction(async (tx) => {
      await tx.calendar.replaceToken(actor.id, hashToken(token));
      await tx.audit.record(this.clock.now(), { actorId: actor.id, entityType: 'user', entityId: actor.id, action: 'user.calendar_token_replaced' });
    });
    return { token };
  }

  /** Whether `actor` has a feed token (the token itself cannot be shown again). */
  async hasToken(actor: Actor): Promise<boolean> {
    return this.storage.pool.calendar.hasToken(actor.id);
  }

  /** The iCalendar text of the feed named by `token`; NotFound for an unknown, replaced or deactivated one. */
  async feed(token: string, appBaseUrl: string): Promise<string> {
    if (!TOKEN_FORMAT.test(token)) throw notFound('calendar');
    const userId = await this.storage.pool.calendar.userIdByToken(hashToken(token));
    const actor = userId ? await this.users.findActor(userId) : null;
    if (!actor) throw notFound('calendar');
    const rows = await this.storage.pool.calendar.deadlines(actor, CALENDAR_EVENT_LIMIT);
    return toICalendar(rows, appBaseUrl, this.clock.now());
  }
}

const SUMMARY: Record<DeadlineRow['kind'], (row: DeadlineRow) => string> = {
  action_plan: (r) => `Action plan due: ${r.title} (${r.organisation_name})`,
  due_date: (r) => `Recommendation ${r.reference} due (${r.organisation_name})`,
  revisit: (r) => `Revisit due: ${r.title} (${r.organisation_name})`,
};

/** A deadline is a date in London: an all-day event on that London date (`YYYYMMDD`). */
const londonDay = (at: DateTime): string => at.toFormat('yyyyLLdd');

/** RFC 5545 text: backslash, semicolon, comma and new lines escaped. */
const escapeText = (text: string): string => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** RFC 5545 folding: lines of at most 75 octets, continued with a leading space. */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
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

/**
 * The feed as iCalendar. Written directly rather than through the `ics` package, which validates each
 * event with a schema and took over a second for 2,000 events.
 */
export function toICalendar(rows: readonly DeadlineRow[], appBaseUrl: string, now: Date = new Date()): string {
  const stamp = DateTime.fromJSDate(now, { zone: 'utc' }).toFormat("yyyyLLdd'T'HHmmss'Z'");
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//HMICFRS//Follow-up Tracker//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'X-WR-CALNAME:Recommendation deadlines',
    `X-WR-TIMEZONE:${LONDON}`,
  ];
  for (const row of rows) {
    const link = row.kind === 'due_date' ? `${appBaseUrl}/recommendations/${row.link_id}` : `${appBaseUrl}/inspections/${row.subject_id}`;
    const due = DateTime.fromJSDate(row.deadline_at, { zone: LONDON_ZONE });
    const description = `${row.kind === 'due_date' ? `${row.text}\n\n` : ''}${row.title}\nDue ${due.toFormat('d MMMM yyyy, HH:mm')} (${LONDON})\n\n${link}`;
    lines.push(
      'BEGIN:VEVENT',
      // One UID per deadline, never per date: a moved deadline updates its event instead of adding one.
      `UID:${row.kind}-${row.subject_id}@followup-tracker`,
      `SEQUENCE:${row.version}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${londonDay(due)}`,
      `DTEND;VALUE=DATE:${londonDay(due.plus({ days: 1 }))}`,
      `SUMMARY:${escapeText(SUMMARY[row.kind](row))}`,
      `DESCRIPTION:${escapeText(description)}`,
      `URL:${link}`,
      'STATUS:CONFIRMED',
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.map(fold).join('\r\n');
}
