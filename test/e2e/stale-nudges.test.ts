// "No recent progress" end to end: a planned recommendation without progress for STALE_AFTER is tagged, and its force's
// liaison officers get one nudge per period (real API, worker process, Redis/BullMQ and SMTP).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { agreedPlan, type RunningApi, type TestUser, type Schema } from '../support/api-harness.js';
import { startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import type { CaughtMessage, SmtpCatcher } from '../support/smtp-catcher.js';
import { waitUntil } from '../support/wait.js';

const SECOND = 1000;
const DAY = 86_400_000;
const STALE_AFTER_S = 4;
const ENV = {
  MAIL_FROM: 'followup@stale.test',
  APP_BASE_URL: 'https://tracker.example',
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  STALE_AFTER: `PT${STALE_AFTER_S}S`,
  JOB_BACKOFF_MS: '200',
};

describe('no recent progress: tag and nudges', () => {
  let pipeline: MailPipeline, catcher: SmtpCatcher, api: RunningApi;
  let liaison: TestUser, otherLiaison: TestUser, otherForceLiaison: TestUser, lead: TestUser;
  let recId: string, plannedAt: number;

  beforeAll(async () => {
    pipeline = await startMailPipeline('stale', ENV, { RECONCILE_EVERY: 'PT1S' });
    ({ api, catcher } = pipeline);
    const force = await api.createOrganisation({ name: 'Merseyside Police' });
    const otherForce = await api.createOrganisation({ name: 'Cheshire Constabulary' });
    liaison = await api.createUser('liaison', [force.id]);
    otherLiaison = await api.createUser('liaison', [force.id]);
    otherForceLiaison = await api.createUser('liaison', [otherForce.id]);
    lead = await api.createUser('inspector');
    // Deadlines months away: no reminder or overdue notice falls in the test.
    const inspection = await api.createInspection(lead.token, {
      organisationId: force.id,
      leadInspectorId: lead.id,
      title: 'Merseyside PEEL 2026',
      publishedAt: new Date(Date.now() - DAY).toISOString(),
      actionPlanDueAt: new Date(Date.now() + 120 * DAY).toISOString(),
      revisitDueAt: new Date(Date.now() + 365 * DAY).toISOString(),
      recommendations: [{ reference: '7', text: 'Review how missing children are risk-assessed' }],
    });
    recId = inspection.recommendations[0].id;
    const planned = await liaison.api.post(`/recommendations/${recId}/transitions`, agreedPlan(1));
    expect(planned.status).toBe(200);
    // The moment the service recorded as the last progress: what STALE_AFTER counts from.
    plannedAt = Date.parse(planned.body.progressAt);
    expect(planned.body.noRecentProgress).toBe(false);
  }, 90 * SECOND);

  afterAll(() => pipeline?.close());

  const stale = (user: TestUser) =>
    catcher.messages.filter((m: CaughtMessage) => m.envelope.to.includes(user.email) && m.kind === 'stale');
  const ledger = async () =>
    (await api.adminApi.get(`/notifications?recommendationId=${recId}&kind=stale&limit=100`)).body
      .items as Schema<'NotificationResponse'>[];

  it(
    'tags the recommendation once STALE_AFTER has passed without progress, and counts it for managers',
    async () => {
      await waitUntil(
        'the recommendation is tagged',
        async () => (await liaison.api.get(`/recommendations/${recId}`)).body.noRecentProgress === true,
        15 * SECOND,
      );
      expect(Date.now() - plannedAt).toBeGreaterThanOrEqual(STALE_AFTER_S * SECOND - 200);
      const work = (await api.adminApi.get('/work')).body;
      expect(
        work.groups.find((g: Schema<'WorkGroupCount'>) => g.id === 'no_recent_progress').count,
      ).toBeGreaterThanOrEqual(1);
    },
    20 * SECOND,
  );

  it(
    "nudges each of the force's liaison officers once per period, never before it, and no one else",
    async () => {
      // Two periods pass: two nudges each, the first no earlier than STALE_AFTER after the plan.
      await catcher.waitFor(() => stale(liaison).length >= 2 && stale(otherLiaison).length >= 2, 25 * SECOND);
      for (const user of [liaison, otherLiaison]) {
        const [first, second] = stale(user);
        expect(new Date(first.receivedAt).getTime()).toBeGreaterThanOrEqual(plannedAt + STALE_AFTER_S * SECOND - 200);
        expect(new Date(second.receivedAt).getTime()).toBeGreaterThanOrEqual(
          plannedAt + 2 * STALE_AFTER_S * SECOND - 200,
        );
        expect(first.subject).toMatch(/^No recent progress\b.*Merseyside Police.*1 recommendation/);
        expect(first.text).toContain(`https://tracker.example/recommendations/${recId}`);
        expect(first.text).toContain('No recent progress');
      }
      expect(stale(otherForceLiaison)).toHaveLength(0);
      expect(stale(lead)).toHaveLength(0);
      // The ledger: one row per person and period, each sent once (recorded just after the email went).
      const sentTo = (rows: Schema<'NotificationResponse'>[], id: string) =>
        rows.filter((n) => n.status === 'sent' && n.recipientId === id);
      await waitUntil(
        'both periods recorded as sent',
        async () => sentTo(await ledger(), liaison.id).length >= 2,
        10 * SECOND,
      );
      const sent = (await ledger()).filter((n) => n.status === 'sent');
      const keys = sent.map((n) => `${n.recipientId}|${n.offset}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(
        sent
          .filter((n) => n.recipientId === liaison.id)
          .map((n) => n.offset)
          .sort()
          .slice(0, 2),
      ).toEqual(['period-1', 'period-2']);
    },
    30 * SECOND,
  );

  it(
    'stops the nudges at the next progress update, and counts afresh from it',
    async () => {
      const updated = await liaison.api.post(`/recommendations/${recId}/transitions`, {
        action: 'update_progress',
        version: (await liaison.api.get(`/recommendations/${recId}`)).body.version,
        rag: 'green',
        comment: 'On track',
      });
      expect(updated.status).toBe(200);
      const progressAt = Date.parse(updated.body.progressAt);
      expect(updated.body.noRecentProgress).toBe(false);
      // A nudge claimed just before the update may still be on its way: count from when none is being sent.
      await waitUntil('no nudge being sent', async () => (await pipeline.beingSent('stale')) === 0, 10 * SECOND, 50);
      const before = stale(liaison).length;
      // The period planned before the update is cancelled; the next nudge counts from the update.
      await waitUntil(
        'the planned nudge is cancelled',
        async () => (await ledger()).some((n) => n.status === 'cancelled'),
        10 * SECOND,
      );
      await catcher.waitFor(() => stale(liaison).length > before, 15 * SECOND);
      const next = stale(liaison)[before];
      expect(new Date(next.receivedAt).getTime()).toBeGreaterThanOrEqual(progressAt + STALE_AFTER_S * SECOND - 200);
    },
    30 * SECOND,
  );
});
