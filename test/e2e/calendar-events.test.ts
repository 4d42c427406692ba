// Calendar events end to end: a reminder's .ics attachment is the calendar feed's own event (UID, all-day London date,
// SEQUENCE, DTSTAMP); the feed answers 304 while nothing changed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningApi, TestUser, InspectionDetail } from '../support/api-harness.js';
import { inspectionDueAt, startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import type { SmtpCatcher } from '../support/smtp-catcher.js';

const SECOND = 1000;
const ENV = {
  MAIL_FROM: 'followup@calendar.test',
  APP_BASE_URL: 'https://tracker.example',
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  REMINDER_OFFSETS: 'PT5S',
  JOB_BACKOFF_MS: '200',
};

/** The VEVENT block with this UID, unfolded. */
function eventOf(ics: string, uid: string): string | undefined {
  const unfolded = ics.replace(/\r\n /g, '');
  return unfolded
    .split('BEGIN:VEVENT')
    .find((block) => block.includes(`UID:${uid}\r\n`))
    ?.split('END:VEVENT')[0];
}
const field = (event: string, name: string) => new RegExp(`^${name}[:;](.*)$`, 'm').exec(event)?.[1]?.trim();

describe('calendar attachment and feed (end to end)', () => {
  let pipeline: MailPipeline,
    catcher: SmtpCatcher,
    api: RunningApi,
    liaison: TestUser,
    lead: TestUser,
    inspection: InspectionDetail,
    feedPath: string;

  beforeAll(async () => {
    pipeline = await startMailPipeline('calendar', ENV, { RECONCILE_EVERY: 'PT1S' });
    ({ api, catcher } = pipeline);
    const force = await api.createOrganisation({ name: 'Cumbria Constabulary' });
    liaison = await api.createUser('liaison', [force.id]);
    lead = await api.createUser('inspector');
    inspection = await api.createInspection(
      lead.token,
      inspectionDueAt(Date.now() + 10 * SECOND, {
        organisationId: force.id,
        leadInspectorId: lead.id,
        recommendations: [{ reference: '2', text: 'Audit custody records every month.' }],
      }),
    );
    const token = await liaison.api.post('/users/me/calendar-token');
    expect(token.status).toBe(201);
    feedPath = `/calendar/${token.body.token}.ics`;
  }, 90 * SECOND);

  afterAll(() => pipeline?.close());

  const fetchFeed = (headers: Record<string, string> = {}) => fetch(`${api.baseUrl}${feedPath}`, { headers });

  it(
    'attaches the very event the feed carries: same UID, all day on the London date, same SEQUENCE and DTSTAMP',
    async () => {
      await catcher.waitFor(
        () => catcher.messages.some((m) => m.kind === 'reminder' && m.envelope.to.includes(liaison.email)),
        30 * SECOND,
      );
      const reminder = catcher.messages.find((m) => m.kind === 'reminder' && m.envelope.to.includes(liaison.email))!;
      const attachment = reminder.parts.find((p) => p.contentType === 'text/calendar');
      expect(attachment).toBeDefined();
      const uid = `action_plan-${inspection.id}@followup-tracker`;
      const attached = eventOf(attachment!.body, uid);
      const feed = await (await fetchFeed()).text();
      const subscribed = eventOf(feed, uid);
      expect(attached).toBeDefined();
      expect(subscribed).toBeDefined();
      expect(field(attached!, 'DTSTART')).toMatch(/^VALUE=DATE:\d{8}$/);
      for (const name of ['UID', 'SEQUENCE', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'URL', 'ORGANIZER']) {
        expect({ name, value: field(attached!, name) }).toEqual({ name, value: field(subscribed!, name) });
      }
      // One event per deadline in the attachment, whatever the number of rows behind it.
      expect(attachment!.body.split(`UID:${uid}`)).toHaveLength(2);
    },
    45 * SECOND,
  );

  it(
    'keeps DTSTAMP and ETag while nothing changes (If-None-Match gets 304), and grows SEQUENCE when the deadline moves',
    async () => {
      const first = await fetchFeed();
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]+"$/);
      const before = await first.text();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const again = await fetchFeed();
      expect(again.headers.get('etag')).toBe(etag);
      expect(await again.text()).toBe(before);
      const notModified = await fetchFeed({ 'if-none-match': etag! });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe('');

      const uid = `revisit-${inspection.id}@followup-tracker`;
      const current = (await api.adminApi.get(`/inspections/${inspection.id}`)).body;
      const moved = await lead.api.patch(`/inspections/${inspection.id}`, {
        version: current.version,
        revisitDueAt: '2031-03-01T00:00:00Z',
      });
      expect(moved.status).toBe(200);
      const after = await fetchFeed({ 'if-none-match': etag! });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      const text = await after.text();
      expect(Number(field(eventOf(text, uid)!, 'SEQUENCE'))).toBeGreaterThan(
        Number(field(eventOf(before, uid)!, 'SEQUENCE')),
      );
      expect(field(eventOf(text, uid)!, 'DTSTART')).toBe('VALUE=DATE:20310301');
    },
    30 * SECOND,
  );
});
