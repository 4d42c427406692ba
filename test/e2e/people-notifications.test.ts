// Through the API and a worker process: people added or deactivated after an inspection's notices were planned.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RunningApi, TestUser, Schema } from '../support/api-harness.js';
import { inspectionDueAt, startMailPipeline, type MailPipeline } from '../support/mail-pipeline.js';
import type { SmtpCatcher } from '../support/smtp-catcher.js';

const SECOND = 1000;
const ENV = {
  MAIL_FROM: 'followup@people.test',
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  REMINDER_OFFSETS: 'PT4S',
  ESCALATE_AFTER: 'PT2S',
  ESCALATE_EVERY: 'PT1H',
};

describe('notices follow the people', () => {
  let pipeline: MailPipeline, catcher: SmtpCatcher, api: RunningApi;
  const people: Record<string, TestUser> = {};
  let deadline: number;
  /**
   * Between these the newcomer's account was made: a reminder whose moment passed before that is not sent (misfire
   * policy).
   */
  let joining: { from: number; to: number };
  let rec: { id: string };

  beforeAll(async () => {
    pipeline = await startMailPipeline('people', ENV);
    ({ api, catcher } = pipeline);
    const force = await api.createOrganisation({ name: 'Cheshire Constabulary' });
    people.lead = await api.createUser('inspector');
    people.stays = await api.createUser('liaison', [force.id]);
    people.leaves = await api.createUser('liaison', [force.id]);

    deadline = Date.now() + 12 * SECOND;
    const inspection = await api.createInspection(
      people.lead.token,
      inspectionDueAt(deadline, {
        organisationId: force.id,
        leadInspectorId: people.lead.id,
        recommendations: [{ reference: '3', text: 'Review custody detention of children' }],
      }),
    );
    [rec] = inspection.recommendations;

    // After planning: one liaison leaves, another joins, and a manager arrives.
    const left = await api.adminApi.patch(`/users/${people.leaves.id}`, {
      version: people.leaves.version,
      active: false,
    });
    expect(left.status).toBe(200);
    const from = Date.now();
    people.joins = await api.createUser('liaison', [force.id]);
    joining = { from, to: Date.now() };
    people.manager = await api.createUser('manager', [force.id]);
  }, 90 * SECOND);

  afterAll(() => pipeline?.close());

  const received = (user: TestUser, kind?: string) =>
    catcher.messages.filter((m) => m.envelope.to.includes(user.email) && (!kind || m.kind === kind));

  it(
    'reminds, then tells of the overdue plan, the liaison who joined after planning, and escalates to the manager who arrived',
    async () => {
      await catcher.waitFor(
        () =>
          received(people.joins, 'overdue').length >= 1 &&
          received(people.stays, 'overdue').length >= 1 &&
          received(people.manager, 'escalation').length >= 1,
        40 * SECOND,
      );
      expect(received(people.stays).map((m) => m.kind)).toEqual(['reminder', 'overdue']);
      const remindedAt = deadline - 4 * SECOND;
      const joinerKinds = received(people.joins).map((m) => m.kind);
      if (joining.to < remindedAt) expect(joinerKinds).toEqual(['reminder', 'overdue']);
      else if (joining.from >= remindedAt) expect(joinerKinds).toEqual(['overdue']);
      else expect([['reminder', 'overdue'], ['overdue']]).toContainEqual(joinerKinds);
      for (const user of [people.stays, people.joins])
        expect(received(user, 'overdue')[0].text).toContain(`/recommendations/${rec.id}`);
      expect(received(people.manager).map((m) => m.kind)).toEqual(['escalation']);
    },
    50 * SECOND,
  );

  it('sends nothing to the liaison deactivated after planning; the ledger says why', async () => {
    expect(received(people.leaves)).toEqual([]);
    const ledger = await api.adminApi.get(`/notifications?recommendationId=${rec.id}&limit=500`);
    expect(ledger.status).toBe(200);
    const theirs = ledger.body.items.filter((n: Schema<'NotificationResponse'>) => n.recipientId === people.leaves.id);
    expect(theirs.length).toBeGreaterThan(0);
    expect(
      theirs.every(
        (n: Schema<'NotificationResponse'>) =>
          n.status === 'cancelled' && /no longer receives/.test(String(n.lastError)),
      ),
    ).toBe(true);
  });
});
