// Health, the caller, users without secrets, and the OpenAPI documentation.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TEST_PASSWORD, startApi, type RunningApi, type Organisation, type Schema } from '../support/api-harness.js';

const SECRET = /password|hash|argon|\$argon2/i;

describe('platform endpoints', () => {
  let api: RunningApi;
  let org: Organisation;

  beforeAll(async () => {
    api = await startApi();
    org = await api.createOrganisation();
  });

  afterAll(async () => {
    await api?.close();
  });

  it('GET /health: 200 { status: "ok" } without a token', async () => {
    const response = await api.client(null).get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('GET /users/me: the caller, and the administrator bootstrapped from ADMIN_EMAIL', async () => {
    const me = await api.adminApi.get('/users/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: api.admin.id, email: api.admin.email, role: 'admin', organisationIds: [] });
    expect(JSON.stringify(me.body)).not.toMatch(SECRET);
  });

  it('POST /users: 201 with the user, never the password or its hash; login and GET /users likewise', async () => {
    const email = `New.Liaison-${Date.now()}@E2E.test`;
    const created = await api.adminApi.post('/users', {
      email,
      name: 'New Liaison',
      password: TEST_PASSWORD,
      role: 'liaison',
      organisationIds: [org.id],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      email: email.toLowerCase(),
      name: 'New Liaison',
      role: 'liaison',
      organisationIds: [org.id],
    });
    const text = JSON.stringify(created.body);
    expect(text).not.toContain(TEST_PASSWORD);
    expect(text).not.toMatch(SECRET);

    const login = await api.login(email, TEST_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      accessToken: expect.any(String),
      user: { id: created.body.id, role: 'liaison' },
    });
    expect(JSON.stringify(login.body.user)).not.toMatch(SECRET);

    const me = await api.client(login.body.accessToken).get('/users/me');
    expect(me.body).toMatchObject({ id: created.body.id, organisationIds: [org.id] });

    const list = await api.adminApi.get('/users');
    expect(list.status).toBe(200);
    expect(list.body.items.map((u: Schema<'UserResponse'>) => u.id)).toContain(created.body.id);
    expect(JSON.stringify(list.body)).not.toMatch(SECRET);
  });

  it('refuses a second user with the same email, whatever its case', async () => {
    const email = `dup-${Date.now()}@e2e.test`;
    const body = {
      email,
      name: 'Dup',
      password: TEST_PASSWORD,
      role: 'manager',
      organisationIds: [],
      allOrganisations: true,
    };
    expect((await api.adminApi.post('/users', body)).status).toBe(201);
    expect((await api.adminApi.post('/users', { ...body, email: email.toUpperCase() })).status).toBe(409);
  });

  it('GET /docs serves the OpenAPI documentation of the contract', async () => {
    const page = await fetch(`${api.baseUrl}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);

    const json = await api.client(null).get('/docs-json');
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/login',
        '/users',
        '/users/me',
        '/organisations',
        '/inspections',
        '/inspections/{id}',
        '/recommendations',
        '/recommendations/{id}',
        '/recommendations/{id}/transitions',
        '/notifications',
        '/health',
      ]),
    );
  });

  it('the queue dashboard at /admin/queues answers administrators only', async () => {
    const basic = (email: string, password: string) => ({
      authorization: `Basic ${Buffer.from(`${email}:${password}`).toString('base64')}`,
    });
    const anonymous = await fetch(`${api.baseUrl}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    const liaison = await api.createUser('liaison', [org.id]);
    expect((await fetch(`${api.baseUrl}/admin/queues`, { headers: basic(liaison.email, TEST_PASSWORD) })).status).toBe(
      401,
    );
    expect(
      (await fetch(`${api.baseUrl}/admin/queues`, { headers: basic(api.admin.email, 'wrong-password-123') })).status,
    ).toBe(401);
    const admin = await fetch(`${api.baseUrl}/admin/queues`, { headers: basic(api.admin.email, api.admin.password) });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toMatch(/<html/i);
    const queues = await fetch(`${api.baseUrl}/admin/queues/api/queues`, {
      headers: basic(api.admin.email, api.admin.password),
    });
    expect(queues.status).toBe(200);
    expect(JSON.stringify(await queues.json())).toContain('notifications');
  });
});
