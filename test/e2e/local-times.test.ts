// The production API in a process whose TZ is New York reads `2026-03-31T09:00` as London time (BST and GMT).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TEST_REDIS_URL } from '../support/api-harness.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const API_ENTRY = fileURLToPath(new URL('../../dist/apps/api/main.js', import.meta.url));
const ADMIN = { email: 'tz-admin@e2e.test', password: 'tz-admin-password-123' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a time without an offset, in an API process with TZ=America/New_York', () => {
  let db: TestDatabase;
  let child: ChildProcess;
  let output = '';
  let base: string;
  let token: string;

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    if (!existsSync(API_ENTRY)) throw new Error(`${API_ENTRY} is missing: run npm run build`);
    db = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [API_ENTRY], {
      env: {
        PATH: process.env.PATH ?? '',
        TZ: 'America/New_York',
        PORT: String(port),
        DATABASE_URL: db.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: `tz-${port}`,
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        JWT_SECRET: 'a-test-secret-that-is-at-least-32-characters',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    token = await until('the API to accept the admin login', async () => {
      const response = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      return response.status === 200 ? ((await response.json()) as any).accessToken : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}\n${output}`);
    });
  }, 90_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await db?.drop();
  });

  it('stores London wall-clock times: 09:00 BST is 08:00Z, 09:00 GMT is 09:00Z', async () => {
    const org = await call('POST', '/organisations', { name: 'Zone Force', code: 'ZONE' });
    expect(org.status).toBe(201);
    const lead = await call('POST', '/users', { email: 'tz-lead@e2e.test', name: 'Lead', password: 'tz-lead-password-1', role: 'inspector', organisationIds: [] });
    expect(lead.status).toBe(201);
    const created = await call('POST', '/inspections', {
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

    const patched = await call('PATCH', `/inspections/${created.body.id}`, { version: created.body.version, revisitDueAt: '2026-01-15T09:00' });
    expect(patched.status).toBe(200);
    expect(patched.body.revisitDueAt).toBe('2026-01-15T09:00:00.000Z');

    // A query's date reads the same way: due before 09:00 London on 30 November (09:00Z) excludes it, 09:01 includes it.
    const before = await call('GET', `/recommendations?inspectionId=${created.body.id}&dueBefore=2026-11-30T09:00`);
    const after = await call('GET', `/recommendations?inspectionId=${created.body.id}&dueBefore=2026-11-30T09:01`);
    expect([before.status, before.body.items.length, after.status, after.body.items.length]).toEqual([200, 0, 200, 1]);
  });
});
