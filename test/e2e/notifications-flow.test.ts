// The whole deadline engine through the real API and a real worker process, with offsets of seconds:
// each kind reaches the right people, never before its moment and in the schedule's order, and nobody else.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { agreedPlan, type RunningApi, type TestUser, type Schema } from '../support/api-harness.js';
import { inspectionDueAt, startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import type { CaughtMessage, SmtpCatcher } from '../support/smtp-catcher.js';
import { waitUntil } from '../support/wait.js';

const SECOND = 1000;
const APP_BASE_URL = 'https://tracker.example';
const ENV = {
  MAIL_FROM: 'followup@flow.test',
  APP_BASE_URL,
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  REMINDER_OFFSETS: 'PT6S,PT3S',
  ESCALATE_AFTER: 'PT3S',
  ESCALATE_EVERY: 'PT4S',
  JOB_BACKOFF_MS: '200',
};

describe('deadline notifications end to end', () => {
  let pipeline: MailPipeline, catcher: SmtpCatcher, api: RunningApi;
  const people: Record<string, TestUser> = {};
  let deadline: number;
  let inspection: { id: string; title: string; recommendations: { id: string; reference: string; version: number }[] };

  beforeAll(async () => {
    pipeline = await startMailPipeline('flow', ENV, { RECONCILE_EVERY: 'PT1S' });
    ({ api, catcher } = pipeline);
    const forceA = await api.createOrganisation({ name: 'Merseyside Police' });
    const forceB = await api.createOrganisation({ name: 'Northamptonshire Police' });
    people.liaisonA = await api.createUser('liaison', [forceA.id]);
    people.liaisonB = await api.createUser('liaison', [forceB.id]);
    people.lead = await api.createUser('inspector');
    people.otherInspector = await api.createUser('inspector');
    people.managerAll = await api.createUser('manager', []);
    people.managerA = await api.createUser('manager', [forceA.id]);
    people.managerB = await api.createUser('manager', [forceB.id]);

    deadline = Date.now() + 12 * SECOND;
    inspection = await api.createInspection(
      people.lead.token,
      inspectionDueAt(deadline, {
        organisationId: forceA.id,
        leadInspectorId: people.lead.id,
        recommendations: [
          { reference: '4', text: 'Clear the backlog of visits to registered sex offenders' },
          { reference: '16', text: 'Stop detaining children in custody overnight without review' },
        ],
      }),
    );
  }, 90 * SECOND);

  afterAll(() => pipeline?.close());

  const to = (user: TestUser) => (m: CaughtMessage) => m.envelope.to.includes(user.email);
  const received = (user: TestUser, kind: string) => catcher.messages.filter((m) => to(user)(m) && m.kind === kind);
  const arrival = (m: CaughtMessage) => new Date(m.receivedAt).getTime();

  it(
    'reminds the liaison before the plan deadline, at each offset',
    async () => {
      await catcher.waitFor(() => received(people.liaisonA, 'reminder').length >= 2, 20 * SECOND);
      const reminders = received(people.liaisonA, 'reminder');
      expect(reminders).toHaveLength(2);
      reminders.forEach((m, i) => {
        // Never before its offset (6 s, then 3 s, before the deadline); how late a busy machine makes it is not a
        // property.
        expect(arrival(m)).toBeGreaterThanOrEqual(deadline - [6, 3][i] * SECOND);
        // One email per digest window, listing both recommendations, each with its link.
        for (const rec of inspection.recommendations)
          expect(m.text).toContain(`${APP_BASE_URL}/recommendations/${rec.id}`);
        expect(m.text).toContain('Merseyside Police');
        expect(m.text).toContain(inspection.title);
        expect(m.text).toMatch(/UK time/);
      });
    },
    30 * SECOND,
  );

  it(
    'tells the liaison and the lead inspector once the deadline passes, not before, and after every reminder',
    async () => {
      await catcher.waitFor(
        () => received(people.liaisonA, 'overdue').length >= 1 && received(people.lead, 'overdue').length >= 1,
        20 * SECOND,
      );
      for (const user of [people.liaisonA, people.lead]) {
        const [notice, ...more] = received(user, 'overdue');
        expect(more).toHaveLength(0);
        expect(arrival(notice)).toBeGreaterThanOrEqual(deadline);
        expect(received(user, 'reminder').filter((reminder) => arrival(reminder) > arrival(notice))).toEqual([]);
      }
    },
    30 * SECOND,
  );

  it(
    'escalates to the managers who see the force after ESCALATE_AFTER, then every ESCALATE_EVERY',
    async () => {
      await catcher.waitFor(
        () =>
          received(people.managerAll, 'escalation').length >= 2 && received(people.managerA, 'escalation').length >= 2,
        25 * SECOND,
      );
      for (const manager of [people.managerAll, people.managerA]) {
        const [first, second] = received(manager, 'escalation');
        // ESCALATE_AFTER (3 s) past the deadline at the earliest, then ESCALATE_EVERY (4 s) after that.
        expect(arrival(first)).toBeGreaterThanOrEqual(deadline + 3 * SECOND);
        expect(arrival(second)).toBeGreaterThanOrEqual(deadline + 7 * SECOND);
        expect(first.messageId).not.toBe(second.messageId);
      }
    },
    35 * SECOND,
  );

  it(
    'stops escalating once the plan is submitted, and alerts the lead inspector when closure is proposed',
    async () => {
      const liaison = api.client(people.liaisonA.token);
      for (const rec of inspection.recommendations) {
        const current = await liaison.get(`/recommendations/${rec.id}`);
        const planned = await liaison.post(`/recommendations/${rec.id}/transitions`, agreedPlan(current.body.version));
        expect(planned.status).toBe(200);
      }
      // An escalation claimed just before its plan went in may still be on its way: count from when none is.
      await waitUntil(
        'no escalation being sent',
        async () => (await pipeline.beingSent('escalation')) === 0,
        20 * SECOND,
        100,
      );
      const escalationsSoFar = received(people.managerAll, 'escalation').length;
      const [first] = inspection.recommendations;
      const current = await liaison.get(`/recommendations/${first.id}`);
      const proposed = await liaison.post(`/recommendations/${first.id}/transitions`, {
        action: 'propose_closure',
        version: current.body.version,
        evidence: [{ title: 'Audit of visits, all up to date', url: 'https://force.example/audit.pdf' }],
      });
      expect(proposed.status).toBe(200);
      const [review] = await catcher
        .waitFor(() => received(people.lead, 'review_needed').length >= 1, 10 * SECOND)
        .then(() => received(people.lead, 'review_needed'));
      expect(review.text).toContain(`${APP_BASE_URL}/recommendations/${first.id}`);

      // The plan ended the action-plan deadline: once none of its escalations is scheduled or being sent
      // (each is sent or cancelled), no further rung can go out, whatever the clock says.
      const admin = api.adminApi;
      const openEscalations = async () => {
        let open = 0;
        for (const rec of inspection.recommendations) {
          const ledger = await admin.get(`/notifications?recommendationId=${rec.id}&kind=escalation&limit=500`);
          expect(ledger.status).toBe(200);
          open += ledger.body.items.filter(
            (n: Schema<'NotificationResponse'>) => n.deadlineType === 'action_plan' && n.status === 'scheduled',
          ).length;
        }
        return open;
      };
      await waitUntil(
        'no action-plan escalation left scheduled after the plan was submitted',
        async () => (await openEscalations()) === 0,
        30 * SECOND,
        100,
      );
      expect(received(people.managerAll, 'escalation')).toHaveLength(escalationsSoFar);
    },
    60 * SECOND,
  );

  it('sent nothing to people outside the force or its inspection, and every email says its kind', () => {
    for (const outsider of [people.liaisonB, people.otherInspector, people.managerB]) {
      expect(catcher.messages.filter(to(outsider))).toEqual([]);
    }
    // The plans took the action plan's calendar event away: a cancellation (calendar_cancel), only to whoever a
    // reminder carried it to.
    expect(
      catcher.messages.every((m) =>
        ['reminder', 'overdue', 'escalation', 'review_needed', 'calendar_cancel'].includes(m.kind ?? ''),
      ),
    ).toBe(true);
    const reminded = new Set(catcher.messages.filter((m) => m.kind === 'reminder').flatMap((m) => m.envelope.to));
    expect(
      catcher.messages
        .filter((m) => m.kind === 'calendar_cancel')
        .flatMap((m) => m.envelope.to)
        .filter((r) => !reminded.has(r)),
    ).toEqual([]);
    // One Message-ID per email: nothing was sent twice.
    expect(new Set(catcher.messages.map((m) => m.messageId)).size).toBe(catcher.messages.length);
  });
});
