// OpenTelemetry: one trace follows a transition from the HTTP call through its transaction, the BullMQ job (context
// carried in the job) and the worker to the webhook call; log lines carry the trace id.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { TestingModule } from '@nestjs/testing';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, stopTracing, traceLogFields, inSpan } from '../../libs/observability/src/index.js';
import { agreedPlan, startApi, TEST_REDIS_URL, type RunningApi } from '../support/api-harness.js';
import { waitUntil } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startWorkerModule } from '../support/worker-module.js';

const ENV = { WEBHOOK_ALLOW_PRIVATE: 'true' };

describe('tracing', () => {
  const exporter = new InMemorySpanExporter();
  let api: RunningApi, worker: TestingModule, receiver: WebhookReceiver;

  beforeAll(async () => {
    startTracing('followup-test', undefined, [new SimpleSpanProcessor(exporter)]);
    receiver = await startWebhookReceiver();
    api = await startApi(ENV);
    worker = await startWorkerModule(
      {
        ...ENV,
        DATABASE_URL: api.dbUrl,
        DB_POOL_SIZE: '3',
        REDIS_URL: TEST_REDIS_URL,
        RECONCILE_EVERY: 'PT1H',
        SMTP_URL: 'smtp://127.0.0.1:1',
      },
      api.queuePrefix,
    );
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver?.close();
    await stopTracing();
  });

  it('follows a transition from the request to the webhook call in one trace', async () => {
    const force = await api.createOrganisation();
    const lead = await api.createUser('inspector');
    const liaison = await api.createUser('liaison', [force.id]);
    expect(
      (await api.adminApi.post('/webhooks', { url: `${receiver.url}/traced`, events: ['recommendation.transitioned'] }))
        .status,
    ).toBe(201);
    const rec = (await api.createInspection(lead.token, { organisationId: force.id, leadInspectorId: lead.id }))
      .recommendations[0];
    exporter.reset();
    expect((await liaison.api.post(`/recommendations/${rec.id}/transitions`, agreedPlan(rec.version))).status).toBe(
      200,
    );
    await waitUntil('delivered', () => receiver.received.some((r) => r.path === '/traced'), 20_000);
    // The job's span ends after the webhook call's (it records the attempt first).
    await waitUntil(
      'job span ended',
      () => exporter.getFinishedSpans().some((s) => s.name === 'job deliver-webhook'),
      15_000,
    );

    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /recommendations/:id/transitions')!;
    expect(request).toBeDefined();
    const traceId = request.spanContext().traceId;
    const inTrace = (name: string) => spans.filter((s) => s.name === name && s.spanContext().traceId === traceId);
    const parentOf = (s: ReadableSpan) => spans.find((p) => p.spanContext().spanId === s.parentSpanContext?.spanId);
    expect(inTrace('db.transaction').length).toBeGreaterThanOrEqual(1);
    const [job] = inTrace('job deliver-webhook');
    expect(job).toBeDefined();
    const [post] = inTrace('webhook POST');
    expect(post.attributes['http.response.status_code']).toBe(204);
    expect(parentOf(post)?.name).toBe('job deliver-webhook');
    expect(request.attributes['http.response.status_code']).toBe(200);
  }, 40_000);

  it('gives log lines the active trace id, and nothing outside a span', async () => {
    expect(traceLogFields()).toEqual({});
    await inSpan('outer', {}, async (span) => {
      expect(traceLogFields()).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    });
  });
});
