// Webhooks end to end: the API plans deliveries in the change's transaction, the real worker signs and posts them to a
// loopback receiver, retries, gives up, disables.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { Webhook } from 'standardwebhooks';
import { agreedPlan, type RunningApi, type TestUser, type Schema, type Organisation } from '../support/api-harness.js';
import type { SmtpCatcher } from '../support/smtp-catcher.js';
import { waitFor, waitUntil } from '../support/wait.js';
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startApiWithWorker, type ApiWithWorker } from '../support/worker-module.js';
import { ReconcileService } from '../../apps/worker/src/reconcile.service.js';
import { QUEUES, QueueName, type QueueMap } from '../../libs/scheduling/src/index.js';

const SECOND = 1000;
const ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_BACKOFF_MS: '300',
  WEBHOOK_DISABLE_AFTER: 'PT3S',
  WEBHOOK_TIMEOUT_MS: '2000',
  APP_BASE_URL: 'https://tracker.example',
  // Deadlines seconds away for the overdue and escalation events.
  DIGEST_WINDOW: 'PT0.5S',
  SEND_WINDOW: 'always',
  ESCALATE_AFTER: 'PT2S',
  ESCALATE_EVERY: 'PT1H',
};

describe('webhooks', () => {
  let world: ApiWithWorker, api: RunningApi, worker: TestingModule, catcher: SmtpCatcher;
  let receiver: WebhookReceiver;
  let force: Organisation, otherForce: Organisation, lead: TestUser, liaison: TestUser;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    world = await startApiWithWorker(ENV, () => ({ DB_POOL_SIZE: '4', RECONCILE_EVERY: 'PT1H' }), ['error', 'warn']);
    ({ api, worker, catcher } = world);
    force = await api.createOrganisation({ name: 'Merseyside Police' });
    otherForce = await api.createOrganisation({ name: 'Kent Police' });
    lead = await api.createUser('inspector');
    liaison = await api.createUser('liaison', [force.id]);
  }, 60 * SECOND);

  afterAll(async () => {
    await world?.close();
    await receiver?.close();
  });

  const subscribe = async (path: string, body: Record<string, unknown> = {}) => {
    const response = await api.adminApi.post('/webhooks', {
      url: `${receiver.url}${path}`,
      events: ['recommendation.transitioned'],
      organisationIds: [force.id],
      ...body,
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string };
  };
  const inspect = (recs = [{ reference: '1', text: 'Review custody' }]) =>
    api.createInspection(lead.token, { organisationId: force.id, leadInspectorId: lead.id, recommendations: recs });
  const submitPlan = (rec: { id: string; version: number }) =>
    liaison.api.post(`/recommendations/${rec.id}/transitions`, agreedPlan(rec.version));
  const at = (path: string) => receiver.received.filter((r) => r.path === path);
  const headers = (r: ReceivedWebhook) => r.headers as Record<string, string>;

  it('refuses bad subscriptions naming the field, and people who may not subscribe', async () => {
    const bad = await api.adminApi.post('/webhooks', { url: 'ftp://x.example', events: ['recommendation.created'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/url/);
    const unknownEvent = await api.adminApi.post('/webhooks', {
      url: `${receiver.url}/x`,
      events: ['recommendation.eaten'],
    });
    expect(unknownEvent.status).toBe(400);
    expect(JSON.stringify(unknownEvent.body)).toMatch(/events/);
    expect(
      (await liaison.api.post('/webhooks', { url: `${receiver.url}/x`, events: ['recommendation.created'] })).status,
    ).toBe(403);
    const manager = await api.createUser('manager', [force.id]);
    expect(
      (
        await manager.api.post('/webhooks', {
          url: `${receiver.url}/x`,
          events: ['recommendation.created'],
          organisationIds: [otherForce.id],
        })
      ).status,
    ).toBe(403);
    const own = await manager.api.post('/webhooks', {
      url: `${receiver.url}/manager`,
      events: ['recommendation.created'],
    });
    expect(own.status).toBe(201);
    const otherManager = await api.createUser('manager', [otherForce.id]);
    expect((await otherManager.api.get(`/webhooks/${own.body.id}`)).status).toBe(404);
    expect((await otherManager.api.get('/webhooks')).body.items).toEqual([]);
    const listed = (await manager.api.get('/webhooks')).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ id: own.body.id, organisationIds: [force.id], status: 'active' }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect((await manager.api.request('DELETE', `/webhooks/${own.body.id}`)).status).toBe(204);
    expect((await manager.api.get(`/webhooks/${own.body.id}`)).status).toBe(404);
  });

  it(
    'delivers each event once per subscription, signed (Standard Webhooks), in every format',
    async () => {
      const standard = await api.adminApi.post('/webhooks', {
        url: `${receiver.url}/all`,
        events: ['inspection.published', 'recommendation.created', 'recommendation.transitioned'],
      });
      const slack = await subscribe('/slack', { format: 'slack' });
      const teams = await subscribe('/teams', { format: 'teams' });
      const elsewhere = await api.adminApi.post('/webhooks', {
        url: `${receiver.url}/other-force`,
        events: ['recommendation.created'],
        organisationIds: [otherForce.id],
      });
      expect(elsewhere.status).toBe(201);
      const inspection = await inspect([
        { reference: '1', text: 'A' },
        { reference: '2', text: 'B' },
      ]);
      expect((await submitPlan(inspection.recommendations[0])).status).toBe(200);

      await waitUntil(
        'deliveries arrive',
        () => at('/all').length >= 4 && at('/slack').length >= 1 && at('/teams').length >= 1,
        20 * SECOND,
      );
      const bodies = at('/all').map(
        (r) => new Webhook(standard.body.secret).verify(r.body, headers(r)) as Schema<'WebhookPayload'>,
      );
      expect(bodies.map((b) => b.type).sort()).toEqual([
        'inspection.published',
        'recommendation.created',
        'recommendation.created',
        'recommendation.transitioned',
      ]);
      const transition = bodies.find((b) => b.type === 'recommendation.transitioned');
      expect(transition!.data).toMatchObject({
        payloadVersion: 1,
        recommendationId: inspection.recommendations[0].id,
        action: 'submit_plan',
        fromStatus: 'issued',
        toStatus: 'planned',
      });
      expect(transition!.data.link).toBe(`https://tracker.example/recommendations/${inspection.recommendations[0].id}`);
      expect(new Set(at('/all').map((r) => headers(r)['webhook-id'])).size).toBe(4);

      const slackBody = new Webhook(slack.secret).verify(at('/slack')[0].body, headers(at('/slack')[0])) as {
        text: string;
      };
      expect(slackBody.text).toMatch(
        /Recommendation 1 of .*: issued → plan submitted <https:\/\/tracker\.example\/recommendations\/.*\|Open in Follow-up Tracker>/,
      );
      const card = (
        new Webhook(teams.secret).verify(at('/teams')[0].body, headers(at('/teams')[0])) as {
          attachments: { contentType: string; content: { actions: { url: string }[] } }[];
        }
      ).attachments[0];
      expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(card.content.actions[0].url).toContain('/recommendations/');
      // A wrong secret does not verify.
      expect(() => new Webhook(slack.secret).verify(at('/teams')[0].body, headers(at('/teams')[0]))).toThrow();
      expect(at('/other-force')).toEqual([]);
    },
    40 * SECOND,
  );

  it(
    'retries after a 500 under the same webhook-id until it is delivered; the receiver drops the duplicate',
    async () => {
      receiver.on('/flaky', (n) => (n === 0 ? { status: 500 } : { status: 200 }));
      const sub = await subscribe('/flaky');
      const inspection = await inspect();
      await submitPlan(inspection.recommendations[0]);
      await waitUntil('the retry', () => at('/flaky').length >= 2, 20 * SECOND);
      const [first, second] = at('/flaky');
      expect(headers(second)['webhook-id']).toBe(headers(first)['webhook-id']);
      expect(receiver.unique().filter((r) => r.path === '/flaky')).toHaveLength(1);
      const deliveries = await waitFor('recorded', async () => {
        const items = (await api.adminApi.get(`/webhooks/${sub.id}/deliveries`)).body.items;
        return items[0]?.status === 'delivered' ? items : undefined;
      });
      expect(
        deliveries[0].attemptList.map((a: Schema<'WebhookAttemptResponse'>) => [a.attempt, a.statusCode, a.outcome]),
      ).toEqual([
        [1, 500, 'retry'],
        [2, 200, 'delivered'],
      ]);
      // "Send again" sends the same delivery, under the same id, once more.
      expect((await api.adminApi.post(`/webhooks/${sub.id}/deliveries/${deliveries[0].id}/resend`)).status).toBe(202);
      await waitUntil('sent again', () => at('/flaky').length >= 3, 20 * SECOND);
      expect(headers(at('/flaky')[2])['webhook-id']).toBe(headers(first)['webhook-id']);
    },
    40 * SECOND,
  );

  it(
    'waits as long as a 429 asks (Retry-After) and never retries other 4xx',
    async () => {
      receiver.on('/busy', (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 204 }));
      receiver.on('/gone', () => ({ status: 410 }));
      await subscribe('/busy');
      const gone = await subscribe('/gone');
      const inspection = await inspect();
      await submitPlan(inspection.recommendations[0]);
      await waitUntil('the second try', () => at('/busy').length >= 2, 20 * SECOND);
      const [first, second] = at('/busy');
      expect(second.at - first.at).toBeGreaterThanOrEqual(1900);
      const failed = await waitFor('the 410 recorded', async () => {
        const items = (await api.adminApi.get(`/webhooks/${gone.id}/deliveries`)).body.items;
        return items[0]?.status === 'failed' ? items[0] : undefined;
      });
      expect(failed).toMatchObject({ attempts: 1, lastStatusCode: 410 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(at('/gone')).toHaveLength(1);
    },
    40 * SECOND,
  );

  it(
    'signs with both secrets while a rotation overlaps',
    async () => {
      const sub = await subscribe('/rotated');
      const rotated = await api.adminApi.post(`/webhooks/${sub.id}/rotate-secret`, { overlap: 'PT1H' });
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).not.toBe(sub.secret);
      const inspection = await inspect();
      await submitPlan(inspection.recommendations[0]);
      await waitUntil('delivered', () => at('/rotated').length >= 1, 20 * SECOND);
      const delivery = at('/rotated')[0];
      expect(headers(delivery)['webhook-signature'].split(' ')).toHaveLength(2);
      expect(() => new Webhook(sub.secret).verify(delivery.body, headers(delivery))).not.toThrow();
      expect(() => new Webhook(rotated.body.secret).verify(delivery.body, headers(delivery))).not.toThrow();
    },
    40 * SECOND,
  );

  it(
    'tells of a deadline that passed and of its escalation, once each however many people were emailed',
    async () => {
      const sub = await subscribe('/deadlines', { events: ['recommendation.overdue', 'recommendation.escalated'] });
      await api.createUser('manager', [force.id]);
      await api.createUser('liaison', [force.id]);
      const inspection = await api.createInspection(lead.token, {
        organisationId: force.id,
        leadInspectorId: lead.id,
        publishedAt: new Date(Date.now() - 30 * 86_400_000).toISOString(),
        actionPlanDueAt: new Date(Date.now() + 2 * SECOND).toISOString(),
        revisitDueAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        recommendations: [{ reference: '7', text: 'Late' }],
      });
      // Earlier tests' recommendations (published in 2018) are long overdue too: only this one's events count here.
      const recId = inspection.recommendations[0].id;
      const mine = () =>
        at('/deadlines')
          .map((r) => new Webhook(sub.secret).verify(r.body, headers(r)) as Schema<'WebhookPayload'>)
          .filter((b) => b.data.recommendationId === recId);
      await waitUntil('overdue and escalated', () => mine().length >= 2, 30 * SECOND);
      await new Promise((r) => setTimeout(r, 1500));
      const bodies = mine();
      expect(bodies.map((b) => b.type).sort()).toEqual(['recommendation.escalated', 'recommendation.overdue']);
      expect(bodies.find((b) => b.type === 'recommendation.overdue')!.data).toMatchObject({
        recommendationId: inspection.recommendations[0].id,
        deadlineType: 'action_plan',
        reference: '7',
      });
      expect(bodies.find((b) => b.type === 'recommendation.escalated')!.data.step).toMatch(/^step-\d+$/);
    },
    60 * SECOND,
  );

  it(
    're-creates a delivery job Redis lost, from the delivery ledger, when the reconciler runs',
    async () => {
      // The retry is due 6 s after the first try: time enough to lose its job before it runs, on a loaded machine too.
      receiver.on('/lost', (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '6' } } : { status: 200 }));
      await subscribe('/lost');
      await submitPlan((await inspect()).recommendations[0]);
      await waitUntil('first try', () => at('/lost').length >= 1, 20 * SECOND);
      await waitUntil(
        'retry recorded',
        async () => (await worker.get<QueueMap>(QUEUES)[QueueName.Webhooks].getDelayedCount()) > 0,
        5 * SECOND,
      );
      // Redis loses the retry's job.
      await worker.get<QueueMap>(QUEUES)[QueueName.Webhooks].drain(true);
      await new Promise((r) => setTimeout(r, 7 * SECOND));
      expect(at('/lost')).toHaveLength(1);
      await worker.get(ReconcileService).reconcile();
      await waitUntil('sent again after the repair', () => at('/lost').length >= 2, 10 * SECOND);
      expect(headers(at('/lost')[1])['webhook-id']).toBe(headers(at('/lost')[0])['webhook-id']);
    },
    60 * SECOND,
  );

  it(
    'disables an endpoint that fails for WEBHOOK_DISABLE_AFTER and emails its owner',
    async () => {
      receiver.on('/down', () => ({ status: 503 }));
      const sub = await subscribe('/down');
      const inspection = await inspect();
      await submitPlan(inspection.recommendations[0]);
      const disabled = await waitFor(
        'disabled',
        async () => {
          const body = (await api.adminApi.get(`/webhooks/${sub.id}`)).body;
          return body.status === 'disabled' ? body : undefined;
        },
        30 * SECOND,
      );
      expect(disabled.disabledReason).toMatch(/failing since/);
      expect(at('/down').length).toBeGreaterThanOrEqual(2);
      const aboutDown = (x: { kind?: string; text?: string }) =>
        x.kind === 'webhook_disabled' && (x.text ?? '').includes(`${receiver.url}/down`);
      const mails = await catcher.waitFor((m) => m.some(aboutDown), 10 * SECOND);
      expect(mails.filter(aboutDown)).toHaveLength(1);
      expect(mails.find(aboutDown)!.envelope.to).toEqual([api.admin.email]);
      const after = at('/down').length;
      await submitPlan((await inspect()).recommendations[0]);
      await new Promise((r) => setTimeout(r, 1500));
      expect(at('/down')).toHaveLength(after);
    },
    60 * SECOND,
  );
});
