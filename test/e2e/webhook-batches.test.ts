// Webhook deliveries planned together travel in one job: each is still claimed, sent, recorded and retried on its own,
// and two workers never send one twice.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { WebhookDeliveryService } from '../../apps/worker/src/webhooks/webhook-delivery.service.js';
import { WebhookPlanner } from '../../libs/application/src/index.js';
import { WebhookEvent, type WebhookEventInput } from '../../libs/domain/src/index.js';
import { Storage } from '../../libs/persistence/src/index.js';
import {
  ADD_TIMEOUT_MS,
  QUEUES,
  QueueName,
  WEBHOOK_JOB_BATCH,
  addWebhookJobs,
  type QueueMap,
} from '../../libs/scheduling/src/index.js';
import { startApi, TEST_REDIS_URL, type RunningApi } from '../support/api-harness.js';
import { withClient } from '../support/database.js';
import { waitUntil } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startWorkerModule } from '../support/worker-module.js';

const SECOND = 1000;
const ENV = {
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_BACKOFF_MS: '300',
  WEBHOOK_TIMEOUT_MS: '2000',
  APP_BASE_URL: 'https://tracker.example',
};

describe('webhook deliveries in batches', () => {
  let api: RunningApi, receiver: WebhookReceiver;
  const workers: TestingModule[] = [];
  const startWorkers = async () => {
    // Two workers on the same queues, each with few posts in flight, so that both take part.
    for (let i = 0; i < 2; i++) {
      workers.push(
        await startWorkerModule(
          {
            ...ENV,
            WEBHOOK_CONCURRENCY: '4',
            DATABASE_URL: api.dbUrl,
            DB_POOL_SIZE: '4',
            REDIS_URL: TEST_REDIS_URL,
            RECONCILE_EVERY: 'PT1H',
            SMTP_URL: 'smtp://127.0.0.1:1',
          },
          api.queuePrefix,
          ['error'],
        ),
      );
    }
  };

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    api = await startApi(ENV);
  }, 60 * SECOND);

  afterAll(async () => {
    for (const w of workers) await w.close();
    await api?.close();
    await receiver?.close();
  });

  const ids = (path: string) =>
    receiver.received.filter((r) => r.path === path).map((r) => String(r.headers['webhook-id']));
  const attemptsOf = (subscriptionId: string) =>
    withClient(
      api.dbUrl,
      async (c) =>
        (
          await c.query<{ id: string; status: string; attempts: { n: number; code: number; outcome: string }[] }>(
            `SELECT d.id, d.status, (SELECT json_agg(json_build_object('n', a.attempt, 'code', a.status_code, 'outcome', a.outcome) ORDER BY a.attempt)
                                     FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempts
             FROM webhook_deliveries d WHERE d.subscription_id = $1`,
            [subscriptionId],
          )
        ).rows,
    );

  it(
    'sends a job of many deliveries; the one that failed is retried, alone, and the others are sent once',
    async () => {
      const force = await api.createOrganisation({ name: 'Batch Police' });
      const lead = await api.createUser('inspector');
      const subscribe = async (path: string) =>
        (
          await api.adminApi.post('/webhooks', {
            url: `${receiver.url}${path}`,
            events: ['recommendation.created'],
            organisationIds: [force.id],
          })
        ).body as { id: string };
      const ok = await subscribe('/batch-ok');
      const mixed = await subscribe('/batch-mixed');
      // The fifth request to /batch-mixed fails; every other answer is a success.
      receiver.on('/batch-mixed', (n) => ({ status: n === 4 ? 500 : 204 }));
      const recommendations = Array.from({ length: 20 }, (_, i) => ({
        reference: String(i + 1),
        text: `Recommendation ${i + 1}`,
      }));
      await api.createInspection(api.admin.token, {
        organisationId: force.id,
        leadInspectorId: lead.id,
        recommendations,
      });

      // Planned in one transaction: one job holds all 40 deliveries (no worker runs yet).
      const { Queue } = await import('bullmq');
      const queue = new Queue(QueueName.Webhooks, { connection: { url: TEST_REDIS_URL }, prefix: api.queuePrefix });
      try {
        const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
        expect(jobs.map((j) => (j.data.deliveryIds ?? [j.data.deliveryId]).length)).toEqual([40]);
      } finally {
        await queue.close();
      }

      await startWorkers();
      await waitUntil(
        'every delivery sent, the failed one again',
        () =>
          new Set(ids('/batch-mixed')).size === 20 &&
          ids('/batch-mixed').length === 21 &&
          ids('/batch-ok').length === 20,
        20 * SECOND,
      );
      await waitUntil(
        'every delivery recorded',
        async () =>
          [...(await attemptsOf(ok.id)), ...(await attemptsOf(mixed.id))].every((d) => d.status === 'delivered'),
        10 * SECOND,
      );
      await new Promise((r) => setTimeout(r, 1000));
      // Nothing sent twice but the one that failed, under the same webhook-id.
      expect(new Set(ids('/batch-ok')).size).toBe(20);
      const mixedIds = ids('/batch-mixed');
      expect(mixedIds).toHaveLength(21);
      const retried = mixedIds[4];
      expect(mixedIds.filter((id) => id === retried)).toHaveLength(2);
      // The ledger: one successful attempt each, and for the one that failed, a retry then a success.
      const okRows = await attemptsOf(ok.id);
      expect(okRows).toHaveLength(20);
      expect(
        okRows.every(
          (d) => d.attempts.length === 1 && d.attempts[0].outcome === 'delivered' && d.attempts[0].code === 204,
        ),
      ).toBe(true);
      const mixedRows = await attemptsOf(mixed.id);
      expect(
        mixedRows
          .filter((d) => d.id !== retried)
          .every((d) => d.attempts.length === 1 && d.attempts[0].outcome === 'delivered'),
      ).toBe(true);
      expect(mixedRows.find((d) => d.id === retried)?.attempts).toEqual([
        { n: 1, code: 500, outcome: 'retry' },
        { n: 2, code: 204, outcome: 'delivered' },
      ]);
      // Its endpoint is healthy again after the success that followed.
      expect((await api.adminApi.get(`/webhooks/${mixed.id}`)).body.status).toBe('active');
    },
    60 * SECOND,
  );

  it(
    'never sends a delivery twice when two workers hold a batch job and a job of its own for every delivery',
    async () => {
      const sub = (
        await api.adminApi.post('/webhooks', { url: `${receiver.url}/many`, events: ['inspection.published'] })
      ).body as { id: string };
      const events: WebhookEventInput[] = Array.from({ length: 300 }, (_, i) => ({
        type: WebhookEvent.InspectionPublished,
        organisationId: null,
        key: `batch-test:${i}`,
        summary: `Inspection ${i} was published`,
        link: `https://tracker.example/inspections/${i}`,
        data: { inspectionId: `inspection-${i}`, title: `Inspection ${i}` },
      }));
      if (workers.length === 0) await startWorkers();
      const [worker] = workers;
      const now = new Date();
      const due = await worker.get(Storage).transaction((tx) => worker.get(WebhookPlanner).plan(tx, events, now));
      expect(due).toHaveLength(300);
      // The planner's batch jobs and, as a reconciler would add them, one job per delivery: each delivery has two jobs
      // (the first of each batch, one).
      const queue = worker.get<QueueMap>(QUEUES)[QueueName.Webhooks];
      await Promise.all([
        addWebhookJobs(queue, due, now.getTime(), ADD_TIMEOUT_MS, WEBHOOK_JOB_BATCH),
        addWebhookJobs(queue, due, now.getTime()),
      ]);

      await waitUntil('every delivery sent', () => new Set(ids('/many')).size === 300, 30 * SECOND);
      await waitUntil(
        'no job left',
        async () =>
          (await queue.getJobCounts('waiting', 'active', 'delayed')).active + (await queue.getWaitingCount()) === 0,
        20 * SECOND,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(ids('/many')).toHaveLength(300);
      const rows = await attemptsOf(sub.id);
      expect(rows).toHaveLength(300);
      expect(rows.filter((d) => d.status === 'delivered' && d.attempts.length === 1)).toHaveLength(300);
      expect(await queue.getFailedCount()).toBe(0);
    },
    60 * SECOND,
  );

  it(
    'sends a delivery asked for twice at the same moment in one worker once (the claims share a statement)',
    async () => {
      if (workers.length === 0) await startWorkers();
      const [worker] = workers;
      const sub = (
        await api.adminApi.post('/webhooks', { url: `${receiver.url}/twice`, events: ['inspection.published'] })
      ).body as { id: string };
      const event: WebhookEventInput = {
        type: WebhookEvent.InspectionPublished,
        organisationId: null,
        key: 'batch-test:twice',
        summary: 'Published',
        link: 'https://tracker.example/i',
        data: {},
      };
      // Planned without a job (the other subscription to this event gets one too: left unsent).
      await worker.get(Storage).transaction((tx) => worker.get(WebhookPlanner).plan(tx, [event], new Date()));
      const [{ id }] = await attemptsOf(sub.id);
      const service = worker.get(WebhookDeliveryService);
      expect((await Promise.all([service.deliver(id), service.deliver(id), service.deliver(id)])).sort()).toEqual([
        'skipped',
        'skipped',
        'success',
      ]);
      expect(ids('/twice')).toEqual([id]);
      expect((await attemptsOf(sub.id))[0]).toMatchObject({
        status: 'delivered',
        attempts: [{ n: 1, code: 204, outcome: 'delivered' }],
      });
    },
    30 * SECOND,
  );

  it(
    'a worker stopping mid-batch finishes what it is sending and leaves the rest to another worker: each sent once',
    async () => {
      // Only the workers of this test from here on.
      for (const w of workers.splice(0)) await w.close();
      const received: string[] = [];
      const slow = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          received.push(String(req.headers['webhook-id']));
          setTimeout(() => res.writeHead(204).end(), 150);
        });
      });
      await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
      const start = (concurrency: string) =>
        startWorkerModule(
          {
            ...ENV,
            WEBHOOK_CONCURRENCY: concurrency,
            DATABASE_URL: api.dbUrl,
            DB_POOL_SIZE: '4',
            REDIS_URL: TEST_REDIS_URL,
            RECONCILE_EVERY: 'PT1H',
            SMTP_URL: 'smtp://127.0.0.1:1',
          },
          api.queuePrefix,
          ['error'],
        );
      try {
        const sub = (
          await api.adminApi.post('/webhooks', {
            url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow`,
            events: ['inspection.dates_changed'],
          })
        ).body as { id: string };
        const first = await start('1');
        const events: WebhookEventInput[] = Array.from({ length: 10 }, (_, i) => ({
          type: WebhookEvent.InspectionDatesChanged,
          organisationId: null,
          key: `batch-test:stop:${i}`,
          summary: 'Dates moved',
          link: 'https://tracker.example/i',
          data: {},
        }));
        await first.get(WebhookPlanner).planAndSchedule(events, new Date());
        await waitUntil('two sent', () => received.length >= 2, 10 * SECOND);
        const closing = Date.now();
        await first.close();
        expect(Date.now() - closing).toBeLessThan(5 * SECOND);
        const sentByFirst = received.length;
        expect(sentByFirst).toBeLessThan(10);
        const stopped = await attemptsOf(sub.id);
        expect(stopped.filter((d) => d.status === 'delivered')).toHaveLength(sentByFirst);
        expect(stopped.filter((d) => d.status === 'scheduled')).toHaveLength(10 - sentByFirst);

        workers.push(await start('4'));
        await waitUntil('the rest sent by the other worker', () => new Set(received).size === 10, 10 * SECOND);
        await waitUntil(
          'recorded',
          async () => (await attemptsOf(sub.id)).every((d) => d.status === 'delivered'),
          10 * SECOND,
        );
        expect(received).toHaveLength(10);
        expect((await attemptsOf(sub.id)).every((d) => d.attempts.length === 1)).toBe(true);
      } finally {
        slow.closeAllConnections();
        await new Promise((r) => slow.close(r));
      }
    },
    60 * SECOND,
  );

  it(
    'records the other attempts of a batch when one of them cannot be recorded, and fails that one alone',
    async () => {
      if (workers.length === 0) await startWorkers();
      const [worker] = workers;
      let poison = '';
      // All four are answered together, so that their records share a transaction; the poisoned one's row
      // disappears first, so its attempt cannot be recorded (and fails that transaction).
      const waiting: ServerResponse[] = [];
      const sink = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          // The listener's promise was never awaited: `void` says so.
          void (async () => {
            waiting.push(res);
            if (waiting.length < 4) return;
            await withClient(api.dbUrl, (c) => c.query(`DELETE FROM webhook_deliveries WHERE id = $1`, [poison]));
            for (const r of waiting) r.writeHead(204).end();
          })();
        });
      });
      await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
      try {
        const sub = (
          await api.adminApi.post('/webhooks', {
            url: `http://127.0.0.1:${(sink.address() as AddressInfo).port}/poison`,
            events: ['recommendation.escalated'],
          })
        ).body as { id: string };
        const events: WebhookEventInput[] = Array.from({ length: 4 }, (_, i) => ({
          type: WebhookEvent.RecommendationEscalated,
          organisationId: null,
          key: `batch-test:poison:${i}`,
          summary: 'Escalated',
          link: 'https://tracker.example/r',
          data: {},
        }));
        await worker.get(Storage).transaction((tx) => worker.get(WebhookPlanner).plan(tx, events, new Date()));
        const ids = (await attemptsOf(sub.id)).map((d) => d.id);
        poison = ids[1];
        const service = worker.get(WebhookDeliveryService);
        const outcomes = await Promise.allSettled(ids.map((id) => service.deliver(id)));
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
        const rows = await attemptsOf(sub.id);
        expect(rows.map((d) => d.id).sort()).toEqual(ids.filter((id) => id !== poison).sort());
        expect(rows.every((d) => d.status === 'delivered' && d.attempts.length === 1)).toBe(true);
      } finally {
        sink.closeAllConnections();
        await new Promise((r) => sink.close(r));
      }
    },
    30 * SECOND,
  );
});
