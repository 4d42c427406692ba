// Each user's deadlines as an iCalendar feed behind a secret token, stored only as its hash.
import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { deadlineCalendar, notFound, type Actor, type CalendarOrganizer, type DeadlineEvent } from '#domain';
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
      await tx.audit.record(this.clock.now(), {
        actorId: actor.id,
        entityType: 'user',
        entityId: actor.id,
        action: 'user.calendar_token_replaced',
      });
    });
    return { token };
  }

  /** Whether `actor` has a feed token (the token itself cannot be shown again). */
  async hasToken(actor: Actor): Promise<boolean> {
    return this.storage.pool.calendar.hasToken(actor.id);
  }

  /** The iCalendar text of the feed named by `token`; NotFound for an unknown, replaced or deactivated one. */
  async feed(token: string, appBaseUrl: string, organizer?: CalendarOrganizer): Promise<string> {
    if (!TOKEN_FORMAT.test(token)) throw notFound('calendar');
    const userId = await this.storage.pool.calendar.userIdByToken(hashToken(token));
    const actor = userId ? await this.users.findActor(userId) : null;
    if (!actor) throw notFound('calendar');
    const rows = await this.storage.pool.calendar.deadlines(actor, CALENDAR_EVENT_LIMIT);
    return toICalendar(rows, appBaseUrl, organizer);
  }
}

/**
 * The feed as iCalendar: each deadline the same event (UID, all day on its London date, SEQUENCE from its
 * subject's version) as a reminder's attachment, so importing both never gives two. Each DTSTAMP is when its
 * subject last changed, so the text, and its ETag, stay the same while nothing changes.
 */
export function toICalendar(rows: readonly DeadlineRow[], appBaseUrl: string, organizer?: CalendarOrganizer): string {
  return deadlineCalendar(
    rows.map((row): DeadlineEvent => ({
      kind: row.kind,
      subjectId: row.subjectId,
      at: row.deadlineAt,
      sequence: row.version,
      changedAt: row.updatedAt,
      inspectionTitle: row.title,
      organisationName: row.organisationName,
      reference: row.reference,
      text: row.text,
      link:
        row.kind === 'due_date'
          ? `${appBaseUrl}/recommendations/${row.linkId}`
          : `${appBaseUrl}/inspections/${row.subjectId}`,
    })),
    { name: 'Recommendation deadlines', organizer },
  );
}

/** A strong ETag of the feed's text: If-None-Match with it gets 304 while nothing has changed. */
export const calendarEtag = (ics: string): string =>
  `"${createHash('sha256').update(ics, 'utf8').digest('base64url').slice(0, 27)}"`;
