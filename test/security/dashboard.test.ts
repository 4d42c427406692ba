// The queue dashboard: Basic login limited like any sign-in, the user re-checked on every request, read-only unless
// enabled; where
// administrators must use two-factor sign-in, only a signed-in session that completed it opens it, as for the other
// admin pages.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateSync } from 'otplib';
import { TEST_PASSWORD, startApi, type RunningApi } from '../support/api-harness.js';
import { formClient } from '../support/form-client.js';

/** GET /admin/queues/api/queues (the queue dashboard's own API): the fields these tests read. */
interface QueueList {
  queues: { readOnlyMode: boolean; isPaused: boolean }[];
}

const PER_ADDRESS = 5;
const ATTEMPTS = 100;

const basic = (email: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`,
});

async function dashboard(
  api: RunningApi,
  path: string,
  headers: Record<string, string>,
  method = 'GET',
): Promise<number> {
  const response = await fetch(`${api.baseUrl}/admin/queues${path}`, { method, headers });
  await response.arrayBuffer();
  return response.status;
}

describe('queue dashboard', () => {
  let api: RunningApi;

  beforeAll(async () => {
    api = await startApi({ LOGIN_MAX_FAILURES: String(PER_ADDRESS) });
  });

  afterAll(async () => {
    await api?.close();
  });

  it(`lets at most LOGIN_MAX_FAILURES of ${ATTEMPTS} parallel wrong Basic logins reach the password check, and shares the limit with POST /auth/login`, async () => {
    const admin = await api.createUser('admin');
    const statuses = await Promise.all(
      Array.from({ length: ATTEMPTS }, (_, i) =>
        dashboard(api, '/api/queues', basic(admin.email, `wrong-password-${i}`)),
      ),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(ATTEMPTS - PER_ADDRESS);
    expect(await dashboard(api, '/api/queues', basic(admin.email, TEST_PASSWORD))).toBe(429);
    expect((await api.login(admin.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('re-checks the user on every request: a demoted or deactivated administrator is out at the next one', async () => {
    const admin = await api.createUser('admin');
    const headers = basic(admin.email, TEST_PASSWORD);
    expect(await dashboard(api, '/api/queues', headers)).toBe(200);
    const demoted = await api.adminApi.patch(`/users/${admin.id}`, {
      version: admin.version,
      role: 'manager',
      allOrganisations: true,
    });
    expect(demoted.status).toBe(200);
    expect(await dashboard(api, '/api/queues', headers)).toBe(401);

    const other = await api.createUser('admin');
    const otherHeaders = basic(other.email, TEST_PASSWORD);
    expect(await dashboard(api, '/api/queues', otherHeaders)).toBe(200);
    expect((await api.adminApi.patch(`/users/${other.id}`, { version: other.version, active: false })).status).toBe(
      200,
    );
    expect(await dashboard(api, '/api/queues', otherHeaders)).toBe(401);
  });

  it('is read-only unless QUEUE_DASHBOARD_ACTIONS=true', async () => {
    const headers = basic(api.admin.email, api.admin.password);
    expect(await dashboard(api, '/api/queues', headers)).toBe(200);
    expect(await dashboard(api, '/api/queues/pause', headers, 'PUT')).toBe(403);
    expect(await dashboard(api, '/api/queues/resume', headers, 'PUT')).toBe(403);
    const queues = (await (await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers })).json()) as QueueList;
    expect(queues.queues.length).toBeGreaterThan(0);
    expect(queues.queues.every((q) => q.readOnlyMode === true)).toBe(true);
    expect(queues.queues.every((q) => q.isPaused === false)).toBe(true);
  });

  it('allows actions to an administrator when QUEUE_DASHBOARD_ACTIONS=true', async () => {
    const writable = await startApi({ QUEUE_DASHBOARD_ACTIONS: 'true' });
    try {
      const headers = basic(writable.admin.email, writable.admin.password);
      const queues = (await (
        await fetch(`${writable.baseUrl}/admin/queues/api/queues`, { headers })
      ).json()) as QueueList;
      expect(queues.queues.every((q) => q.readOnlyMode === false)).toBe(true);
      expect(await dashboard(writable, '/api/queues/pause', headers, 'PUT')).toBe(200);
      expect(await dashboard(writable, '/api/queues/resume', headers, 'PUT')).toBe(200);
      // Signed in on the pages: an action must come from the dashboard itself (same origin), as a form's CSRF token
      // would prove.
      const browser = formClient(writable.baseUrl);
      expect(
        (await browser.submit('/sign-in', { email: writable.admin.email, password: writable.admin.password })).status,
      ).toBe(303);
      const bySession = (origin?: string) => ({ cookie: browser.cookieHeader(), ...(origin ? { origin } : {}) });
      expect(await dashboard(writable, '/api/queues/pause', bySession(), 'PUT')).toBe(403);
      expect(await dashboard(writable, '/api/queues/pause', bySession('https://elsewhere.example'), 'PUT')).toBe(403);
      const stillRunning = (await (
        await fetch(`${writable.baseUrl}/admin/queues/api/queues`, { headers: bySession() })
      ).json()) as QueueList;
      expect(stillRunning.queues.every((q) => q.isPaused === false)).toBe(true);
      expect(await dashboard(writable, '/api/queues/pause', bySession(writable.baseUrl), 'PUT')).toBe(200);
      expect(await dashboard(writable, '/api/queues/resume', bySession(writable.baseUrl), 'PUT')).toBe(200);
    } finally {
      await writable.close();
    }
  });

  it('where administrators must use two-factor sign-in, refuses a password alone and a session that has not completed it, like the other admin pages', async () => {
    const strict = await startApi({ MFA_REQUIRED_ROLES: 'admin' });
    try {
      // HTTP Basic is a password alone: refused, saying where to sign in.
      const basicAnswer = await fetch(`${strict.baseUrl}/admin/queues/api/queues`, {
        headers: basic(strict.admin.email, strict.admin.password),
      });
      expect(basicAnswer.status).toBe(401);
      expect(((await basicAnswer.json()) as { message: string }).message).toContain('two-factor sign-in');

      // The password step of the sign-in page: the session holds only a pending sign-in, so neither /admin nor the
      // dashboard opens.
      const browser = formClient(strict.baseUrl);
      const password = await browser.submit('/sign-in', { email: strict.admin.email, password: strict.admin.password });
      expect(password.status).toBe(303);
      expect(password.location).toBe('/sign-in/two-factor');
      for (const path of ['/admin', '/admin/queues', '/admin/queues/api/queues']) {
        const refused = await browser.get(path);
        expect({ path, status: refused.status, location: refused.location }).toEqual({
          path,
          status: 303,
          location: `/sign-in?returnTo=${encodeURIComponent(path)}`,
        });
      }
      const json = await fetch(`${strict.baseUrl}/admin/queues/api/queues`, {
        headers: { accept: 'application/json' },
      });
      expect(json.status).toBe(401);

      // Completing the second factor opens both.
      const setUp = await browser.get('/sign-in/two-factor');
      const secret = /id="setup-key">([^<]+)</.exec(setUp.text)![1].replace(/\s/g, '');
      expect((await browser.post('/sign-in/two-factor', { code: generateSync({ secret }) })).status).toBe(200);
      expect((await browser.get('/admin')).status).toBe(200);
      const dashboard = await browser.get('/admin/queues/api/queues');
      expect(dashboard.status).toBe(200);
      expect(JSON.parse(dashboard.text).queues.length).toBeGreaterThan(0);
      // The same administrator's password alone still opens nothing.
      expect(
        (
          await fetch(`${strict.baseUrl}/admin/queues/api/queues`, {
            headers: basic(strict.admin.email, strict.admin.password),
          })
        ).status,
      ).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('refuses Basic for an administrator who turned two-factor sign-in on, even where the role does not require it', async () => {
    const admin = await api.createUser('admin');
    const browser = formClient(api.baseUrl);
    expect((await browser.submit('/sign-in', { email: admin.email, password: TEST_PASSWORD })).status).toBe(303);
    const setUp = await browser.get('/account/two-factor/set-up');
    const secret = /id="setup-key">([^<]+)</.exec(setUp.text)![1].replace(/\s/g, '');
    expect((await browser.post('/account/two-factor/set-up', { code: generateSync({ secret }) })).status).toBe(200);
    expect(await dashboard(api, '/api/queues', basic(admin.email, TEST_PASSWORD))).toBe(401);
    expect((await browser.get('/admin/queues/api/queues')).status).toBe(200);
  });
});
