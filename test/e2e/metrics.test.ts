// /metrics on the API and the worker, scraped and parsed: the counters move by exactly what the test did; shared gauges
// agree with the ledgers.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { MetricsServer } from '../../apps/worker/src/metrics-server.js';
import {
  agreedPlan,
  startApi,
  TEST_REDIS_URL,
  type RunningApi,
  type TestUser,
  type Organisation,
} from '../support/api-harness.js';
import { withClient } from '../support/database.js';
import { waitUntil } from '../support/wait.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { startWorkerModule } from '../support/worker-module.js';
import { startClamd, type PrivateClamd } from '../support/clamd.js';
import { uploadEvidence } from '../support/evidence-client.js';
import { EICAR, pdf } from '../support/evidence-files.js';

const TOKEN = 'metrics-token-for-tests-0123456789';
const ENV: Record<string, string> = {
  METRICS_TOKEN: TOKEN,
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_BACKOFF_MS: '200',
  SCAN_ATTEMPTS: '2',
  JOB_BACKOFF_MS: '100',
};

type Samples = Map<string, number>;

/** Prometheus text format → `name{label="v",…}` (labels sorted) → value. */
function parse(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels = [...(match[3] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)]
      .map((m) => `${m[1]}="${m[2]}"`)
      .sort();
    samples.set(`${match[1]}{${labels.join(',')}}`, Number(match[4]));
  }
  return samples;
}
const key = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')}}`;

describe('metrics', () => {
  let api: RunningApi,
    worker: TestingModule,
    receiver: WebhookReceiver,
    liaison: TestUser,
    lead: TestUser,
    force: Organisation;
  let workerUrl: string, clamd: PrivateClamd, folder: string;

  beforeAll(async () => {
    [receiver, clamd, folder] = await Promise.all([
      startWebhookReceiver(),
      startClamd(),
      mkdtemp(join(tmpdir(), 'metrics-evidence-')),
    ]);
    Object.assign(ENV, { CLAMAV_URL: clamd.url, EVIDENCE_STORE: `file://${folder}` });
    api = await startApi(ENV);
    worker = await startWorkerModule(
      {
        ...ENV,
        METRICS_PORT: '0',
        DATABASE_URL: api.dbUrl,
        DB_POOL_SIZE: '3',
        REDIS_URL: TEST_REDIS_URL,
        RECONCILE_EVERY: 'PT1H',
        SMTP_URL: 'smtp://127.0.0.1:1',
      },
      api.queuePrefix,
    );
    workerUrl = `http://127.0.0.1:${worker.get(MetricsServer).port()}/metrics`;
    force = await api.createOrganisation();
    lead = await api.createUser('inspector');
    liaison = await api.createUser('liaison', [force.id]);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await receiver?.close();
    await clamd?.close();
    await rm(folder, { recursive: true, force: true });
  });

  const scrape = async (url = `${api.baseUrl}/metrics`): Promise<Samples> => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parse(await response.text());
  };
  const value = (s: Samples, name: string, labels: Record<string, string> = {}) => s.get(key(name, labels)) ?? 0;

  it('needs the bearer token on the API and the worker', async () => {
    for (const url of [`${api.baseUrl}/metrics`, workerUrl]) {
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-of-the-same-size-xx' } })).status).toBe(
        401,
      );
      expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    }
  });

  it('counts HTTP requests by route template and status, with latency, and sign-in failures', async () => {
    const before = await scrape();
    const rec = (await api.createInspection(lead.token, { organisationId: force.id, leadInspectorId: lead.id }))
      .recommendations[0];
    for (let i = 0; i < 3; i++) expect((await liaison.api.get(`/recommendations/${rec.id}`)).status).toBe(200);
    expect((await liaison.api.get('/recommendations/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    for (let i = 0; i < 2; i++) expect((await api.login(liaison.email, 'not-the-password')).status).toBe(401);
    const after = await scrape();
    const route = { method: 'GET', route: '/recommendations/:id' };
    expect(
      value(after, 'followup_http_requests_total', { ...route, status: '200' }) -
        value(before, 'followup_http_requests_total', { ...route, status: '200' }),
    ).toBe(3);
    expect(
      value(after, 'followup_http_requests_total', { ...route, status: '404' }) -
        value(before, 'followup_http_requests_total', { ...route, status: '404' }),
    ).toBe(1);
    expect(
      value(after, 'followup_http_request_duration_seconds_count', { ...route, status: '200' }) -
        value(before, 'followup_http_request_duration_seconds_count', { ...route, status: '200' }),
    ).toBe(3);
    expect(value(after, 'followup_login_failures_total') - value(before, 'followup_login_failures_total')).toBe(2);
    expect([...after.keys()].some((k) => k.includes(rec.id))).toBe(false);
    expect(value(after, 'followup_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('reads the ledgers and queues at scrape time, and counts webhook attempts by outcome', async () => {
    receiver.on('/hook', (n) => (n === 0 ? { status: 500 } : { status: 200 }));
    expect(
      (await api.adminApi.post('/webhooks', { url: `${receiver.url}/hook`, events: ['recommendation.transitioned'] }))
        .status,
    ).toBe(201);
    const before = await scrape(workerUrl);
    const rec = (await api.createInspection(lead.token, { organisationId: force.id, leadInspectorId: lead.id }))
      .recommendations[0];
    expect((await liaison.api.post(`/recommendations/${rec.id}/transitions`, agreedPlan(rec.version))).status).toBe(
      200,
    );
    await waitUntil('delivered after one retry', () => receiver.received.length >= 2, 20_000);
    await waitUntil(
      'recorded',
      async () => value(await scrape(workerUrl), 'followup_webhook_deliveries', { status: 'delivered' }) === 1,
      10_000,
    );
    const after = await scrape(workerUrl);
    const moved = (outcome: string) =>
      value(after, 'followup_webhook_attempts_total', { outcome, format: 'standard' }) -
      value(before, 'followup_webhook_attempts_total', { outcome, format: 'standard' });
    expect([moved('retry'), moved('delivered'), moved('failed')]).toEqual([1, 1, 0]);

    // The worker keeps trying notices against an SMTP server that is not there, so rows move between a scrape and
    // a query: a scrape must match the ledger as read just after it, at some point.
    await waitUntil(
      'a scrape that matches the ledger',
      async () => {
        const scraped = await scrape(workerUrl);
        const ledger = await withClient(api.dbUrl, (c) =>
          c.query<{ status: string; kind: string; n: number }>(
            `SELECT status, kind, count(*)::int AS n FROM notifications GROUP BY status, kind`,
          ),
        );
        return (
          ledger.rows.length > 0 &&
          ledger.rows.every(
            (row) =>
              value(scraped, 'followup_notification_ledger_rows', { status: row.status, kind: row.kind }) === row.n,
          )
        );
      },
      20_000,
    );
    expect(after.has(key('followup_notifications_due_unsent_oldest_seconds'))).toBe(true);
    expect(after.has(key('followup_queue_jobs', { queue: 'webhooks', state: 'failed' }))).toBe(true);
    expect(value(after, 'followup_queue_jobs', { queue: 'webhooks', state: 'failed' })).toBe(0);
    expect(after.has(key('followup_db_pool_connections', { state: 'waiting' }))).toBe(true);
  }, 40_000);

  it('counts evidence scans by result: clean, infected, and with the scanner stopped an error, then unscanned', async () => {
    const rec = (await api.createInspection(lead.token, { organisationId: force.id, leadInspectorId: lead.id }))
      .recommendations[0];
    const scans = (s: Samples) =>
      Object.fromEntries(
        ['clean', 'infected', 'unscanned', 'error'].map((result) => [
          result,
          value(s, 'followup_evidence_scans_total', { result }),
        ]),
      );
    const upload = async (name: string, bytes: Buffer) => {
      const answer = await uploadEvidence(api.baseUrl, liaison.token, rec.id, [{ name, bytes }]);
      expect(answer.status).toBe(202);
      const { id } = answer.body[0] as { id: string };
      return waitUntil(
        `${name} scanned`,
        async () => (await liaison.api.get(`/evidence/files/${id}`)).body.scan !== 'pending',
        30_000,
      );
    };
    const before = scans(await scrape(workerUrl));
    await upload('audit.pdf', pdf());
    await upload('eicar.txt', EICAR);
    // SCAN_ATTEMPTS 2: the first attempt fails (error), the last gives up (unscanned).
    await clamd.stop();
    await upload('plan.pdf', pdf('Plan'));
    const after = scans(await scrape(workerUrl));
    expect(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k]]))).toEqual({
      clean: 1,
      infected: 1,
      unscanned: 1,
      error: 1,
    });
  }, 90_000);
});
