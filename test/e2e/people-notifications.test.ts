// Through the API and a worker process: people added or deactivated after an inspection's notices were planned.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_REDIS_URL, startApi, type RunningApi, type TestUser } from '../support/api-harness.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp-catcher.js';
import { killAllWorkers, spawnWorker } from '../support/worker-process.js';

const SECOND = 1000;
const ENV = { MAIL_FROM: 'followup@people.test', DIGEST_WINDOW: 'PT0.5S', SEND_WINDOW: 'always', REMINDER_OFFSETS: 'PT4S', ESCALATE_AFTER: 'PT2S', ESCALATE_EVERY: 'PT1H' };

describe('notices follow the people', () => {
  let catcher: SmtpCatcher;
  let api: RunningApi;
  const people: Record<string, TestUser> = {};
  let deadline: number;
  /** Between these the newcomer's account was made: a reminder whose moment passed before that is not sent (misfire policy). */
  let joining: { from: number; to: number };
  let rec: { id: string };

  beforeAll(async () => {
    catcher = await startSmtpCatcher();
    api = await startApi({ ...ENV, SMTP_URL: catcher.url });
    const force = await api.createOrganisation({ name: 'Cheshire Constabulary' });
    people.lead = await api.createUser('inspector');
    people.stays = await api.createUser('liaison', [force.id]);
    people.leaves = await api.createUser('liaison', [force.id]);
    const worker = spawnWorker('people', { ...ENV, DATABASE_URL: api.dbUrl, REDIS_URL: TEST_REDIS_URL, SMTP_URL: catcher.url, QUEUE_PREFIX: api.queuePrefix, LOG_LEVEL: 'info' });
    await worker.waitForLine(/worker started/, 30 * SECOND);

    deadline = Date.now() + 12 * SECOND;
    const inspection = await api.createInspection(people.lead.token, {
      organisationId: force.id,
      leadInspectorId: people.lead.id,
      publishedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
      actionPlanDueAt: new Date(deadline).toISOString(),
      revisitDueAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
      recommendations: [{ reference: '3', text: 'Review custody detention of children' }],
    });
    [rec] = inspection.recommendations;

    // After planning: one liaison leaves, another joins, and a manager arrives.
    const left = await api.adminApi.patch(`/users/${people.leaves.id}`, { version: people.leaves.version, active: false });
    expect(left.status).toBe(200);
    const from = Date.now();
    people.joins = await api.createUser('liaison', [force.id]);
    joining = { from, to: Date.now() };
    people.manager = await api.createUser('manager', [force.id]);
  }, 90 * SECOND);

  afterAll(async () => {
    await killAllWorkers();
    await api?.close();
    await catcher?.close();
  });

  const received = (user: TestUser, kind?: string) => catcher.messages.filter((m) => m.envelope.to.includes(user.email) && (!kind || m.kind === kind));

  it('reminds, then tells of the overdue plan, the liaison who joined after planning, and escalates to the manager who arrived', async () => {
    await catcher.waitFor(
      () => received(people.joins, 'overdue').length >= 1 && received(people.stays, 'overdue').length >= 1 && received(people.manager, 'escalation').length >= 1,
      40 * SECOND,
    );
    expect(received(people.stays).map((m) => m.kind)).toEqual(['reminder', 'overdue']);
    const remindedAt = deadline - 4 * SECOND;
    const joinerKinds = received(people.joins).map((m) => m.kind);
    if (joining.to < remindedAt) expect(joinerKinds).toEqual(['reminder', 'overdue']);
    else if (joining.from >= remindedAt) expect(joinerKinds).toEqual(['overdue']);
    else expect([['reminder', 'overdue'], ['overdue']]).toContainEqual(joinerKinds);
    for (const user of [people.stays, people.joins]) expect(received(user, 'overdue')[0].text).toContain(`/recommendations/${rec.id}`);
    expect(received(people.manager).map((m) => m.kind)).toEqual(['escalation']);
  }, 50 * SECOND);

  it('sends nothing to the liaison deactivated after planning; the ledger says why', async () => {
    expect(received(people.leaves)).toEqual([]);
    const ledger = await api.adminApi.get(`/notifications?recommendationId=${rec.id}&limit=500`);
    expect(ledger.status).toBe(200);
    const theirs = ledger.body.items.filter((n: any) => n.recipientId === people.leaves.id);
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.every((n: any) => n.status === 'cancelled' && /no longer receives/.test(n.lastError))).toBe(true);
  });
});
