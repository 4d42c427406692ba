// The queue dashboard's Basic login: limited like any sign-in, the user re-checked on every request, read-only unless enabled.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD, startApi, type RunningApi } from '../support/api-harness.js';

const PER_ADDRESS = 5;
const ATTEMPTS = 100;

const basic = (email: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}` });

async function dashboard(api: RunningApi, path: string, headers: Record<string, string>, method = 'GET'): Promise<number> {
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
    const statuses = await Promise.all(Array.from({ length: ATTEMPTS }, (_, i) => dashboard(api, '/api/queues', basic(admin.email, `wrong-password-${i}`))));
    expect(statuses.filter((s) => s === 401)).toHaveLength(PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(ATTEMPTS - PER_ADDRESS);
    expect(await dashboard(api, '/api/queues', basic(admin.email, TEST_PASSWORD))).toBe(429);
    expect((await api.login(admin.email, TEST_PASSWORD)).status).toBe(429);
  });

  it('re-checks the user on every request: a demoted or deactivated administrator is out at the next one', async () => {
    const admin = await api.createUser('admin');
    const headers = basic(admin.email, TEST_PASSWORD);
    expect(await dashboard(api, '/api/queues', headers)).toBe(200);
    const demoted = await api.adminApi.patch(`/users/${admin.id}`, { version: admin.version, role: 'manager', allOrganisations: true });
    expect(demoted.status).toBe(200);
    expect(await dashboard(api, '/api/queues', headers)).toBe(401);

    const other = await api.createUser('admin');
    const otherHeaders = basic(other.email, TEST_PASSWORD);
    expect(await dashboard(api, '/api/queues', otherHeaders)).toBe(200);
    expect((await api.adminApi.patch(`/users/${other.id}`, { version: other.version, active: false })).status).toBe(200);
    expect(await dashboard(api, '/api/queues', otherHeaders)).toBe(401);
  });

  it('is read-only unless QUEUE_DASHBOARD_ACTIONS=true', async () => {
    const headers = basic(api.admin.email, api.admin.password);
    expect(await dashboard(api, '/api/queues', headers)).toBe(200);
    expect(await dashboard(api, '/api/queues/pause', headers, 'PUT')).toBe(403);
    expect(await dashboard(api, '/api/queues/resume', headers, 'PUT')).toBe(403);
    const queues: any = await (await fetch(`${api.baseUrl}/admin/queues/api/queues`, { headers })).json();
    expect(queues.queues.length).toBeGreaterThan(0);
    expect(queues.queues.every((q: any) => q.readOnlyMode === true)).toBe(true);
    expect(queues.queues.every((q: any) => q.isPaused === false)).toBe(true);
  });

  it('allows actions to an administrator when QUEUE_DASHBOARD_ACTIONS=true', async () => {
    const writable = await startApi({ QUEUE_DASHBOARD_ACTIONS: 'true' });
    try {
      const headers = basic(writable.admin.email, writable.admin.password);
      const queues: any = await (await fetch(`${writable.baseUrl}/admin/queues/api/queues`, { headers })).json();
      expect(queues.queues.every((q: any) => q.readOnlyMode === false)).toBe(true);
      expect(await dashboard(writable, '/api/queues/pause', headers, 'PUT')).toBe(200);
      expect(await dashboard(writable, '/api/queues/resume', headers, 'PUT')).toBe(200);
    } finally {
      await writable.close();
    }
  });
});
