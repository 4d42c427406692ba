// Calendar cancellations: when a reminder's calendar event goes away for good, each person a reminder carried
// it to gets one METHOD:CANCEL (same UID, higher SEQUENCE, same ORGANIZER), through the real API, two worker processes,
// Redis/BullMQ and an SMTP server on loopback; a deadline that moves cancels nothing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import {
  TEST_REDIS_URL,
  agreedPlan,
  type RunningApi,
  type TestUser,
  type InspectionDetail,
  type Schema,
} from '../support/api-harness.js';
import { withClient } from '../support/database.js';
import { eventsOf, type ICalComponent } from '../support/ical.js';
import { startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import type { CaughtMessage, SmtpCatcher } from '../support/smtp-catcher.js';
import { waitUntil } from '../support/wait.js';
import { spawnWorker, type WorkerProcess } from '../support/worker-process.js';

const SECOND = 1000;
const DAY = 86_400_000;
const ENV = {
  MAIL_FROM: 'followup@cancel.test',
  APP_BASE_URL: 'https://tracker.example',
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  REMINDER_OFFSETS: 'PT10S',
  JOB_BACKOFF_MS: '200',
};

describe('calendar cancellations (end to end, two workers)', () => {
  let pipeline: MailPipeline, catcher: SmtpCatcher, api: RunningApi, second: WorkerProcess;
  let liaison: TestUser, lead: TestUser, inspection: InspectionDetail, rec1: string, rec2: string, feedPath: string;
  let planUid: string, dueUid: string;
  const sentEvents = new Map<string, ICalComponent>();

  beforeAll(async () => {
    pipeline = await startMailPipeline('calendar-cancel', ENV, { RECONCILE_EVERY: 'PT1S' });
    ({ api, catcher } = pipeline);
    second = spawnWorker('calendar-cancel-2', {
      ...ENV,
      DATABASE_URL: api.dbUrl,
      REDIS_URL: TEST_REDIS_URL,
      SMTP_URL: catcher.url,
      QUEUE_PREFIX: api.queuePrefix,
      RECONCILE_EVERY: 'PT1S',
    });
    await second.waitForLine(/worker started/, 30 * SECOND);
    const force = await api.createOrganisation({ name: 'Lancashire Constabulary' });
    liaison = await api.createUser('liaison', [force.id]);
    lead = await api.createUser('inspector');
    // Reminders 10 s before: the action plan's at +5 s, recommendation 2's due date at +7 s.
    inspection = await api.createInspection(lead.token, {
      organisationId: force.id,
      leadInspectorId: lead.id,
      title: 'Lancashire PEEL 2026',
      publishedAt: new Date(Date.now() - 30 * DAY).toISOString(),
      actionPlanDueAt: new Date(Date.now() + 15 * SECOND).toISOString(),
      revisitDueAt: new Date(Date.now() + 90 * DAY).toISOString(),
      recommendations: [
        {
          reference: '1',
          text: 'Review custody records every month.',
          dueAt: new Date(Date.now() + 120 * DAY).toISOString(),
        },
        {
          reference: '2',
          text: 'Train every custody sergeant.',
          dueAt: new Date(Date.now() + 17 * SECOND).toISOString(),
        },
      ],
    });
    rec1 = inspection.recommendations.find((r) => r.reference === '1')!.id;
    rec2 = inspection.recommendations.find((r) => r.reference === '2')!.id;
    planUid = `action_plan-${inspection.id}@followup-tracker`;
    dueUid = `due_date-${rec2}@followup-tracker`;
    const token = await liaison.api.post('/users/me/calendar-token');
    expect(token.status).toBe(201);
    feedPath = `/calendar/${token.body.token}.ics`;
  }, 90 * SECOND);

  afterAll(async () => {
    if (second?.running()) second.child.kill('SIGKILL');
    await second?.exited;
    await pipeline?.close();
  });

  const to = (user: TestUser, kind: string) =>
    catcher.messages.filter((m: CaughtMessage) => m.envelope.to.includes(user.email) && m.kind === kind);
  const calendarPart = (m: CaughtMessage) => m.parts.find((p) => p.contentType === 'text/calendar');
  const feedEvents = async () => eventsOf(await (await fetch(`${api.baseUrl}${feedPath}`)).text());
  const cancelLedger = async () =>
    ((await api.adminApi.get('/notifications?kind=calendar_cancel&limit=100')).body
      .items as Schema<'NotificationResponse'>[]) ?? [];

  /** The one cancellation of `uid` to `user`, read as a calendar app reads the email's calendar part. */
  function cancellationOf(user: TestUser, uid: string) {
    const found = to(user, 'calendar_cancel').flatMap((m) => {
      const part = calendarPart(m);
      return part
        ? eventsOf(part.body)
            .filter((e) => e.event.get('UID') === uid)
            .map((e) => ({ m, part, ...e }))
        : [];
    });
    return found;
  }

  it(
    'attaches each event with the service as ORGANIZER, as the feed has it',
    async () => {
      await catcher.waitFor(() => {
        for (const m of to(liaison, 'reminder')) {
          const part = calendarPart(m);
          if (part) for (const { event } of eventsOf(part.body)) sentEvents.set(event.get('UID')!, event);
        }
        return sentEvents.has(planUid) && sentEvents.has(dueUid);
      }, 30 * SECOND);
      const feed = await feedEvents();
      for (const uid of [planUid, dueUid]) {
        expect(sentEvents.get(uid)!.get('ORGANIZER')).toBe('mailto:followup@cancel.test');
        expect(sentEvents.get(uid)!.param('ORGANIZER', 'CN')).toBe('Follow-up Tracker');
        expect(feed.find((e) => e.event.get('UID') === uid)?.event.get('ORGANIZER')).toBe(
          'mailto:followup@cancel.test',
        );
      }
    },
    40 * SECOND,
  );

  it(
    'cancels nothing when a deadline moves: the feed shows the new date with a higher SEQUENCE',
    async () => {
      const current = (await api.adminApi.get(`/inspections/${inspection.id}`)).body;
      const moved = await lead.api.patch(`/inspections/${inspection.id}`, {
        version: current.version,
        actionPlanDueAt: '2031-03-01T00:00:00Z',
      });
      expect(moved.status).toBe(200);
      const event = (await feedEvents()).find((e) => e.event.get('UID') === planUid)!.event;
      expect(event.get('DTSTART')).toBe('20310301');
      expect(Number(event.get('SEQUENCE'))).toBeGreaterThan(Number(sentEvents.get(planUid)!.get('SEQUENCE')));
      // Several dispatch and reconcile rounds (0.5 s windows, a reconcile a second on each worker) pass: nothing
      // planned, nothing sent.
      await new Promise((r) => setTimeout(r, 3 * SECOND));
      expect(to(liaison, 'calendar_cancel')).toHaveLength(0);
      expect(await cancelLedger()).toEqual([]);
    },
    20 * SECOND,
  );

  it(
    "closing a recommendation cancels its due date's event once, for the person the reminder went to, and the feed drops it",
    async () => {
      const rec = (await lead.api.get(`/recommendations/${rec2}`)).body;
      const closed = await lead.api.post(`/recommendations/${rec2}/transitions`, {
        action: 'close',
        version: rec.version,
        outcome: 'not_implemented',
        comment: 'Overtaken by the national programme.',
      });
      expect(closed.status).toBe(200);
      await catcher.waitFor(() => cancellationOf(liaison, dueUid).length > 0, 20 * SECOND);
      const [cancel] = cancellationOf(liaison, dueUid);
      expect(cancel.part.headers['content-type']).toMatch(/method=CANCEL/i);
      expect(cancel.method).toBe('CANCEL');
      expect(cancel.event.get('STATUS')).toBe('CANCELLED');
      expect(Number(cancel.event.get('SEQUENCE'))).toBeGreaterThan(Number(sentEvents.get(dueUid)!.get('SEQUENCE')));
      expect(cancel.event.get('ORGANIZER')).toBe(sentEvents.get(dueUid)!.get('ORGANIZER'));
      expect(cancel.event.get('ATTENDEE')).toBe(`mailto:${liaison.email}`);
      expect(cancel.event.get('DTSTART')).toBe(sentEvents.get(dueUid)!.get('DTSTART'));
      // The same calendar also travels as cancel.ics, and the email says what went away in words.
      expect(cancel.m.parts.find((p) => p.filename === 'cancel.ics')?.body).toBe(cancel.part.body);
      expect(cancel.m.subject).toMatch(
        /^Cancelled, Lancashire Constabulary: recommendation 2 due \d{1,2} \w+ \d{4} is no longer due$/,
      );
      expect(cancel.m.text).toContain('the recommendation has been closed');
      expect((await feedEvents()).map((e) => e.event.get('UID'))).not.toContain(dueUid);
      // The action plan's event stays while recommendation 1 still waits for its plan; the inspector never had a
      // reminder.
      expect(cancellationOf(liaison, planUid)).toHaveLength(0);
      expect(to(lead, 'calendar_cancel')).toHaveLength(0);
    },
    30 * SECOND,
  );

  it(
    "submitting the last action plan cancels the inspection's action plan event once, whatever re-planning and re-run jobs follow",
    async () => {
      const feedSequence = Number(
        (await feedEvents()).find((e) => e.event.get('UID') === planUid)!.event.get('SEQUENCE'),
      );
      const rec = (await liaison.api.get(`/recommendations/${rec1}`)).body;
      const planned = await liaison.api.post(`/recommendations/${rec1}/transitions`, agreedPlan(rec.version));
      expect(planned.status).toBe(200);
      await catcher.waitFor(() => cancellationOf(liaison, planUid).length > 0, 20 * SECOND);
      const [cancel] = cancellationOf(liaison, planUid);
      expect(cancel.method).toBe('CANCEL');
      expect(cancel.event.get('STATUS')).toBe('CANCELLED');
      // Higher than the reminder's and than the moved event's in the feed: whichever a calendar holds, the cancellation
      // wins.
      expect(Number(cancel.event.get('SEQUENCE'))).toBeGreaterThan(
        Math.max(feedSequence, Number(sentEvents.get(planUid)!.get('SEQUENCE'))),
      );
      expect(cancel.event.get('ORGANIZER')).toBe(sentEvents.get(planUid)!.get('ORGANIZER'));
      expect(cancel.m.text).toContain('every recommendation of the inspection has an action plan now');
      expect((await feedEvents()).map((e) => e.event.get('UID'))).not.toContain(planUid);

      // Re-planning (progress on recommendation 1 plans again, in the API) and every slot of the last seconds run again
      // by both workers.
      const again = (await liaison.api.get(`/recommendations/${rec1}`)).body;
      expect(
        (
          await liaison.api.post(`/recommendations/${rec1}/transitions`, {
            action: 'update_progress',
            version: again.version,
            rag: 'green',
            comment: 'On track',
          })
        ).status,
      ).toBe(200);
      const queue = new Queue('notifications', { connection: { url: TEST_REDIS_URL }, prefix: api.queuePrefix });
      try {
        const now = Date.now();
        for (let slot = now - 5 * SECOND; slot <= now; slot += 500)
          await queue.add('dispatch-due', { slot, drain: 0 }, { jobId: `rerun.${slot}` });
      } finally {
        await queue.close();
      }
      await waitUntil(
        'every cancellation row is sent',
        async () => {
          const rows = await cancelLedger();
          return rows.length === 2 && rows.every((n) => n.status === 'sent');
        },
        10 * SECOND,
      );
      await new Promise((r) => setTimeout(r, 2 * SECOND));
      expect(cancellationOf(liaison, planUid)).toHaveLength(1);
      expect(cancellationOf(liaison, dueUid)).toHaveLength(1);
      expect(to(liaison, 'calendar_cancel')).toHaveLength(2);
      expect(new Set(to(liaison, 'calendar_cancel').map((m) => m.messageId)).size).toBe(2);
      // Kept to open in a mail or calendar app: test-output/emails/calendar-cancel-<n>.eml.
      mkdirSync('test-output/emails', { recursive: true });
      to(liaison, 'calendar_cancel').forEach((m, i) =>
        writeFileSync(`test-output/emails/calendar-cancel-${i + 1}.eml`, m.raw),
      );
    },
    45 * SECOND,
  );

  it(
    'cancels an event that went away while its reminder was with the SMTP server (the change could not see it sent)',
    async () => {
      const force = inspection.organisationId;
      // Another inspection (this one's action plan months away): recommendation 3's due-date reminder goes in about 2
      // s.
      const other = await api.createInspection(lead.token, {
        organisationId: force,
        leadInspectorId: lead.id,
        title: 'Lancashire custody follow-up 2026',
        publishedAt: new Date(Date.now() - DAY).toISOString(),
        actionPlanDueAt: new Date(Date.now() + 120 * DAY).toISOString(),
        revisitDueAt: new Date(Date.now() + 365 * DAY).toISOString(),
        recommendations: [
          {
            reference: '3',
            text: 'Check every detained child is seen by an appropriate adult.',
            dueAt: new Date(Date.now() + 12 * SECOND).toISOString(),
          },
        ],
      });
      const rec3 = other.recommendations[0].id;
      const uid = `due_date-${rec3}@followup-tracker`;
      // The server holds each message 6 s before accepting it (under the 10 s socket timeout): the reminder is claimed
      // and composed, then waits there while the recommendation is closed, on a loaded machine too.
      catcher.setAcceptDelay(6 * SECOND);
      try {
        // The ledger's own state (the API shows `sending` as `scheduled`): claimed, composed and with the server.
        const reminderRow = () =>
          withClient(
            api.dbUrl,
            async (c) =>
              (
                await c.query(
                  `SELECT status FROM notifications WHERE recommendation_id = $1 AND kind = 'reminder' AND deadline_type = 'due_date'`,
                  [rec3],
                )
              ).rows[0] as { status: string } | undefined,
          );
        await waitUntil(
          'the reminder is on its way to the SMTP server',
          async () => (await reminderRow())?.status === 'sending',
          20 * SECOND,
          50,
        );
        const rec = (await lead.api.get(`/recommendations/${rec3}`)).body;
        const closed = await lead.api.post(`/recommendations/${rec3}/transitions`, {
          action: 'close',
          version: rec.version,
          outcome: 'superseded',
          comment: 'Replaced by the custody inspection.',
        });
        expect(closed.status).toBe(200);
        expect((await reminderRow())?.status).toBe('sending');
        await catcher.waitFor(() => cancellationOf(liaison, uid).length > 0, 20 * SECOND);
      } finally {
        catcher.setAcceptDelay(0);
      }
      const reminder = to(liaison, 'reminder')
        .flatMap((m) => (calendarPart(m) ? eventsOf(calendarPart(m)!.body) : []))
        .find((e) => e.event.get('UID') === uid)!;
      expect(reminder).toBeDefined();
      const [cancel] = cancellationOf(liaison, uid);
      expect(cancel.method).toBe('CANCEL');
      expect(Number(cancel.event.get('SEQUENCE'))).toBeGreaterThan(Number(reminder.event.get('SEQUENCE')));
      await new Promise((r) => setTimeout(r, 2 * SECOND));
      expect(cancellationOf(liaison, uid)).toHaveLength(1);
    },
    45 * SECOND,
  );
});
