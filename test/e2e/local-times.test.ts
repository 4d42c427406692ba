// The production API in a process whose TZ is New York reads `2026-03-31T09:00` as London time (BST and GMT).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_REDIS_URL, apiClient, type ApiClient } from '../support/api-harness.js';
import { startApiProcess, stopApiProcess, type ApiProcess } from '../support/api-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const ADMIN = { email: 'tz-admin@e2e.test', password: 'tz-admin-password-123' };

describe('a time without an offset, in an API process with TZ=America/New_York', () => {
  let db: TestDatabase;
  let api: ApiProcess;
  let admin: ApiClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApiProcess('tz', {
      TZ: 'America/New_York',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `tz-${randomBytes(4).toString('hex')}`,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      JWT_SECRET: 'a-test-secret-that-is-at-least-32-characters',
    });
    const login = await apiClient(api.baseUrl).post('/auth/login', ADMIN);
    expect(login.status).toBe(200);
    admin = apiClient(api.baseUrl, login.body.accessToken);
  }, 90_000);

  afterAll(async () => {
    await stopApiProcess(api);
    await db?.drop();
  });

  it('stores London wall-clock times: 09:00 BST is 08:00Z, 09:00 GMT is 09:00Z', async () => {
    const org = await admin.post('/organisations', { name: 'Zone Force', code: 'ZONE' });
    expect(org.status).toBe(201);
    const lead = await admin.post('/users', {
      email: 'tz-lead@e2e.test',
      name: 'Lead',
      password: 'tz-lead-password-1',
      role: 'inspector',
      organisationIds: [],
    });
    expect(lead.status).toBe(201);
    const created = await admin.post('/inspections', {
      organisationId: org.body.id,
      leadInspectorId: lead.body.id,
      title: 'Zones',
      programme: 'PEEL',
      publishedAt: '2026-03-31T09:00',
      recommendations: [{ reference: '1', text: 'Winter deadline', dueAt: '2026-11-30T09:00' }],
    });
    expect(created.status).toBe(201);
    expect(created.body.publishedAt).toBe('2026-03-31T08:00:00.000Z');
    expect(created.body.recommendations[0].dueAt).toBe('2026-11-30T09:00:00.000Z');

    const patched = await admin.patch(`/inspections/${created.body.id}`, {
      version: created.body.version,
      revisitDueAt: '2026-01-15T09:00',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.revisitDueAt).toBe('2026-01-15T09:00:00.000Z');

    // A query's date reads the same way: due before 09:00 London on 30 November (09:00Z) excludes it, 09:01 includes
    // it.
    const before = await admin.get(`/recommendations?inspectionId=${created.body.id}&dueBefore=2026-11-30T09:00`);
    const after = await admin.get(`/recommendations?inspectionId=${created.body.id}&dueBefore=2026-11-30T09:01`);
    expect([before.status, before.body.items.length, after.status, after.body.items.length]).toEqual([200, 0, 200, 1]);
  });
});
