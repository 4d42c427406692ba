// Personal API tokens against the real API, PostgreSQL and Redis: allowed per role, made once, used beside the JWT,
// read-only refused on writes, revoked, ended with their owner.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import {
  ControlledClock,
  createForceWithInspection,
  startApi,
  type RunningApi,
  type TestUser,
  type Schema,
} from '../support/api-harness.js';
import { formClient } from '../support/form-client.js';
import { startIdentityWorld, type IdentityWorld } from '../support/identity-world.js';
import { waitUntil } from '../support/wait.js';

const START = new Date('2026-12-07T10:00:00Z');

describe('personal API tokens', () => {
  let api: RunningApi;
  let db: pg.Client;
  const clock = new ControlledClock(START);

  beforeAll(async () => {
    api = await startApi({}, { clock });
    db = new pg.Client({ connectionString: api.dbUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  const allow = async (allowedRoles: string[]) => {
    const current = await api.adminApi.get('/api-token-settings');
    expect(current.status).toBe(200);
    const saved = await api.adminApi.request('PUT', '/api-token-settings', {
      allowedRoles,
      version: current.body.version,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.allowedRoles).toEqual(allowedRoles);
  };
  const make = async (user: TestUser, body: Record<string, unknown> = {}) => {
    const made = await user.api.post('/users/me/api-tokens', {
      name: 'Force records system',
      scope: 'read-write',
      ...body,
    });
    expect(made.status).toBe(201);
    return made.body as { token: string; apiToken: { id: string; name: string; scope: string } };
  };
  const tokenRows = async (userId: string) =>
    (await db.query(`SELECT id, token_hash, revoked_at, last_used_at FROM api_tokens WHERE user_id = $1`, [userId]))
      .rows;
  const auditActions = async (tokenId: string) =>
    (
      await db.query(
        `SELECT action, actor_id, changes FROM audit_events WHERE entity_type = 'api_token' AND entity_id = $1 ORDER BY seq`,
        [tokenId],
      )
    ).rows;

  it('allows no role until an administrator does: the default refuses, and a refused make stores nothing', async () => {
    expect((await api.adminApi.get('/api-token-settings')).body).toEqual({ allowedRoles: [], version: 1 });
    const liaison = await api.createUser('liaison', [(await api.createOrganisation()).id]);
    const refused = await liaison.api.post('/users/me/api-tokens', { name: 'Records', scope: 'read-only' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('not allowed for the role liaison');
    expect(await tokenRows(liaison.id)).toEqual([]);
    // Only an administrator reads or changes the setting; a stale version is a 409 that changes nothing.
    expect((await liaison.api.get('/api-token-settings')).status).toBe(403);
    expect(
      (await liaison.api.request('PUT', '/api-token-settings', { allowedRoles: ['liaison'], version: 1 })).status,
    ).toBe(403);
    expect(
      (await api.adminApi.request('PUT', '/api-token-settings', { allowedRoles: ['nobody'], version: 1 })).body.message,
    ).toEqual(expect.arrayContaining([expect.stringContaining('allowedRoles')]));
    await allow(['manager', 'liaison']);
    const stale = await api.adminApi.request('PUT', '/api-token-settings', { allowedRoles: ['admin'], version: 1 });
    expect(stale.status).toBe(409);
    expect((await api.adminApi.get('/api-token-settings')).body).toEqual({
      allowedRoles: ['manager', 'liaison'],
      version: 2,
    });
    const events = (await db.query(`SELECT action, changes FROM audit_events WHERE entity_type = 'api_token_settings'`))
      .rows;
    expect(events).toEqual([
      { action: 'api_tokens.roles_changed', changes: { allowedRoles: { from: [], to: ['manager', 'liaison'] } } },
    ]);
  });

  it('makes a token shown once (only its sha256 kept), lists it without the secret, and it acts as its owner beside the JWT', async () => {
    const { organisation, liaison, inspection } = await createForceWithInspection(api, [{ reference: '1' }]);
    const other = await createForceWithInspection(api, [{ reference: '1' }]);
    const made = await make(liaison, { name: 'Crime records bridge' });
    expect(made.token).toMatch(/^fut_[A-Za-z0-9_-]{43}$/);
    expect(made.apiToken).toMatchObject({
      name: 'Crime records bridge',
      scope: 'read-write',
      expiresAt: null,
      lastUsedAt: null,
    });
    const [row] = await tokenRows(liaison.id);
    expect(row.token_hash).not.toContain(made.token.slice(4));
    expect(JSON.stringify(await db.query(`SELECT * FROM api_tokens`))).not.toContain(made.token);
    const listed = await liaison.api.get('/users/me/api-tokens');
    expect(listed.body.items).toEqual([
      expect.objectContaining({ id: made.apiToken.id, name: 'Crime records bridge', scope: 'read-write' }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(made.token);

    const client = api.client(made.token);
    expect((await client.get('/users/me')).body).toMatchObject({
      id: liaison.id,
      role: 'liaison',
      organisationIds: [organisation.id],
    });
    expect((await client.get(`/inspections/${inspection.id}`)).status).toBe(200);
    expect((await client.get(`/inspections/${other.inspection.id}`)).status).toBe(404);
    // The CSV list addresses (a spreadsheet's "from web" import) take it too.
    const csv = await fetch(`${api.baseUrl}/recommendations.csv?inspectionId=${inspection.id}`, {
      headers: { authorization: `Bearer ${made.token}` },
    });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain('Recommendation 1');
    const readiness = await fetch(`${api.baseUrl}/inspections/${inspection.id}/readiness?format=csv`, {
      headers: { authorization: `Bearer ${made.token}` },
    });
    expect(readiness.status).toBe(200);
    expect(readiness.headers.get('content-type')).toContain('text/csv');
    // So do the pages' CSV downloads (here a manager's overdue list).
    const manager = await api.createUser('manager');
    const managerToken = (await make(manager, { scope: 'read-only' })).token;
    const overdue = await fetch(`${api.baseUrl}/overdue.csv`, { headers: { authorization: `Bearer ${managerToken}` } });
    expect(overdue.status).toBe(200);
    expect(overdue.headers.get('content-type')).toContain('text/csv');
    expect(
      (await fetch(`${api.baseUrl}/overdue.csv`, { headers: { authorization: `Bearer ${managerToken}x` } })).status,
    ).toBe(401);
    // A token cannot make another.
    expect((await client.post('/users/me/api-tokens', { name: 'Second', scope: 'read-write' })).status).toBe(403);
    expect(await tokenRows(liaison.id)).toHaveLength(1);

    const created = await auditActions(made.apiToken.id);
    expect(created).toEqual([
      {
        action: 'api_token.created',
        actor_id: liaison.id,
        changes: { userId: liaison.id, name: 'Crime records bridge', scope: 'read-write', expiresAt: null },
      },
    ]);
  });

  it('a read-only token reads, and every write is a 403 that changes nothing; a read-write token writes', async () => {
    const { liaison, inspection } = await createForceWithInspection(api, [{ reference: '1' }]);
    const readOnly = api.client((await make(liaison, { name: 'Dashboard feed', scope: 'read-only' })).token);
    const recommendation = inspection.recommendations[0];
    expect((await readOnly.get(`/recommendations/${recommendation.id}`)).status).toBe(200);

    const before = {
      me: (await liaison.api.get('/users/me')).body,
      recommendation: (await liaison.api.get(`/recommendations/${recommendation.id}`)).body,
    };
    const refusals = [
      await readOnly.patch('/users/me', { version: before.me.version, reminderDelivery: 'daily_digest' }),
      await readOnly.post(`/recommendations/${recommendation.id}/transitions`, {
        action: 'submit_plan',
        version: recommendation.version,
        response: 'agreed',
        owner: 'O',
        actions: 'A',
        targetDate: '2030-06-30',
      }),
      await readOnly.post('/auth/logout'),
      await readOnly.request('DELETE', `/users/me/api-tokens/${(await tokenRows(liaison.id))[0].id}`),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(403);
      expect(refused.body.message).toContain('this API token is read-only');
    }
    expect((await liaison.api.get('/users/me')).body).toEqual(before.me);
    expect((await liaison.api.get(`/recommendations/${recommendation.id}`)).body).toEqual(before.recommendation);
    expect((await tokenRows(liaison.id))[0].revoked_at).toBeNull();
    expect((await readOnly.get('/users/me')).status).toBe(200);

    const readWrite = api.client((await make(liaison, { name: 'Plan sync', scope: 'read-write' })).token);
    const changed = await readWrite.patch('/users/me', {
      version: before.me.version,
      reminderDelivery: 'daily_digest',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.reminderDelivery).toBe('daily_digest');
    const events = (
      await db.query(`SELECT actor_id FROM audit_events WHERE entity_id = $1 AND action = 'user.preferences_changed'`, [
        liaison.id,
      ])
    ).rows;
    expect(events).toEqual([{ actor_id: liaison.id }]);
  });

  it('revoked by its owner or by an administrator, a token stops at once; nobody else can revoke it', async () => {
    const org = await api.createOrganisation();
    const [owner, stranger] = await Promise.all([
      api.createUser('liaison', [org.id]),
      api.createUser('liaison', [org.id]),
    ]);
    const first = await make(owner, { name: 'First' });
    const second = await make(owner, { name: 'Second' });

    expect((await stranger.api.request('DELETE', `/users/me/api-tokens/${first.apiToken.id}`)).status).toBe(404);
    expect((await stranger.api.request('DELETE', `/users/${owner.id}/api-tokens/${first.apiToken.id}`)).status).toBe(
      403,
    );
    expect((await stranger.api.get(`/users/${owner.id}/api-tokens`)).status).toBe(403);
    expect((await api.client(first.token).get('/users/me')).status).toBe(200);

    expect((await owner.api.request('DELETE', `/users/me/api-tokens/${first.apiToken.id}`)).status).toBe(204);
    const revoked = await api.client(first.token).get('/users/me');
    expect(revoked.status).toBe(401);
    expect(revoked.body.message).toContain('invalid or has been revoked');
    expect((await owner.api.request('DELETE', `/users/me/api-tokens/${first.apiToken.id}`)).status).toBe(404);

    expect(
      (await api.adminApi.get(`/users/${owner.id}/api-tokens`)).body.items.map(
        (t: Schema<'ApiTokenResponse'>) => t.name,
      ),
    ).toEqual(['Second']);
    expect((await api.adminApi.request('DELETE', `/users/${owner.id}/api-tokens/${second.apiToken.id}`)).status).toBe(
      204,
    );
    expect((await api.client(second.token).get('/users/me')).status).toBe(401);
    expect((await owner.api.get('/users/me/api-tokens')).body.items).toEqual([]);

    expect(await auditActions(first.apiToken.id)).toEqual([
      expect.objectContaining({ action: 'api_token.created' }),
      {
        action: 'api_token.revoked',
        actor_id: owner.id,
        changes: { userId: owner.id, name: 'First', scope: 'read-write', byOwner: true },
      },
    ]);
    expect((await auditActions(second.apiToken.id))[1]).toEqual({
      action: 'api_token.revoked',
      actor_id: api.admin.id,
      changes: { userId: owner.id, name: 'Second', scope: 'read-write', byOwner: false },
    });
  });

  it("acts with the owner's current role and forces; deactivation ends it for good; a role taken off the list stops it", async () => {
    const [forceA, forceB] = await Promise.all([api.createOrganisation(), api.createOrganisation()]);
    const liaison = await api.createUser('liaison', [forceA.id]);
    const client = api.client((await make(liaison)).token);
    expect((await client.get('/users/me')).body.organisationIds).toEqual([forceA.id]);
    const moved = await api.adminApi.patch(`/users/${liaison.id}`, {
      version: liaison.version,
      organisationIds: [forceB.id],
    });
    expect(moved.status).toBe(200);
    expect((await client.get(`/organisations/${forceA.id}`)).status).toBe(404);
    expect((await client.get(`/organisations/${forceB.id}`)).status).toBe(200);

    await allow(['manager']);
    const notAllowed = await client.get('/users/me');
    expect(notAllowed.status).toBe(401);
    expect(notAllowed.body.message).toContain('not allowed for the role liaison');
    await allow(['manager', 'liaison']);
    expect((await client.get('/users/me')).status).toBe(200);

    expect(
      (await api.adminApi.patch(`/users/${liaison.id}`, { version: moved.body.version, active: false })).status,
    ).toBe(200);
    expect((await client.get('/users/me')).status).toBe(401);
    expect(
      (await api.adminApi.patch(`/users/${liaison.id}`, { version: moved.body.version + 1, active: true })).status,
    ).toBe(200);
    const ended = await client.get('/users/me');
    expect(ended.status).toBe(401);
    expect(ended.body.message).toContain('has ended');
  });

  it('signing out of the API (POST /auth/logout) ends personal tokens with the JWTs', async () => {
    const liaison = await api.createUser('liaison', [(await api.createOrganisation()).id]);
    const client = api.client((await make(liaison)).token);
    expect((await liaison.api.post('/auth/logout')).status).toBe(204);
    expect((await client.get('/users/me')).status).toBe(401);
  });

  it('expires at the end of its last day (London), and a past date is refused naming expiresOn', async () => {
    clock.set(START);
    const manager = await api.createUser('manager');
    const past = await manager.api.post('/users/me/api-tokens', {
      name: 'Old',
      scope: 'read-only',
      expiresOn: '2026-12-06',
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body.message)).toContain('expiresOn');
    expect((await manager.api.post('/users/me/api-tokens', { name: 'Bad', scope: 'everything' })).body.message).toEqual(
      expect.arrayContaining([expect.stringContaining('scope')]),
    );
    expect(await tokenRows(manager.id)).toEqual([]);

    const made = await make(manager, { name: 'Until Tuesday', scope: 'read-only', expiresOn: '2026-12-08' });
    // The end of 8 December in London is midnight UTC in winter.
    expect(made.apiToken).toMatchObject({ expiresAt: '2026-12-09T00:00:00.000Z' });
    const client = api.client(made.token);
    clock.set('2026-12-08T23:59:00Z');
    expect((await client.get('/users/me')).status).toBe(200);
    clock.set('2026-12-09T00:00:00Z');
    const expired = await client.get('/users/me');
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain('expired');
    clock.set(START);
  });

  it('records when it was last used at most once a minute', async () => {
    clock.set(START);
    const manager = await api.createUser('manager');
    const made = await make(manager, { name: 'Poller', scope: 'read-only' });
    const client = api.client(made.token);
    const lastUsed = async (): Promise<Date | null> => (await tokenRows(manager.id))[0].last_used_at;
    // The use is recorded after the answer: wait for it.
    const settle = (expected: number): Promise<void> =>
      waitUntil('the use recorded', async () => (await lastUsed())?.getTime() === expected, 20_000, 20);
    await client.get('/users/me');
    await settle(START.getTime());
    expect((await lastUsed())?.toISOString()).toBe(START.toISOString());
    clock.set(new Date(START.getTime() + 30_000));
    for (let i = 0; i < 5; i++) await client.get('/users/me');
    await new Promise((r) => setTimeout(r, 200));
    expect((await lastUsed())?.toISOString()).toBe(START.toISOString());
    const later = new Date(START.getTime() + 61_000);
    clock.set(later);
    await client.get('/users/me');
    await settle(later.getTime());
    expect((await lastUsed())?.toISOString()).toBe(later.toISOString());
    expect((await manager.api.get('/users/me/api-tokens')).body.items[0].lastUsedAt).toBe(later.toISOString());
    clock.set(START);
  });

  it('an unknown, malformed or tampered token is a 401 like a bad JWT', async () => {
    const manager = await api.createUser('manager');
    const { token } = await make(manager);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, 'fut_', `${token}x`, token.slice(4)]) {
      expect((await api.client(bad).get('/users/me')).status).toBe(401);
    }
  });
});

describe('personal API tokens and a password reset', () => {
  let world: IdentityWorld;

  beforeAll(async () => {
    world = await startIdentityWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('resetting the password through the emailed link ends every personal API token of the person', async () => {
    const { api } = world;
    const current = await api.adminApi.get('/api-token-settings');
    expect(
      (
        await api.adminApi.request('PUT', '/api-token-settings', {
          allowedRoles: ['liaison'],
          version: current.body.version,
        })
      ).status,
    ).toBe(200);
    const liaison = await api.createUser('liaison', [(await api.createOrganisation()).id]);
    const made = await liaison.api.post('/users/me/api-tokens', { name: 'Records', scope: 'read-only' });
    expect(made.status).toBe(201);
    const client = api.client(made.body.token);
    expect((await client.get('/users/me')).status).toBe(200);

    expect((await api.client(null).post('/auth/forgotten-password', { email: liaison.email })).status).toBe(202);
    const { path } = await world.linkEmail(liaison.email, 'password_reset');
    const browser = formClient(api.baseUrl);
    const saved = await browser.submit(path, {
      newPassword: 'a-new-long-password-for-tokens',
      confirmPassword: 'a-new-long-password-for-tokens',
    });
    expect(saved.status).toBe(200);

    const ended = await client.get('/users/me');
    expect(ended.status).toBe(401);
    expect(ended.body.message).toContain('has ended');
    const relogged = api.client((await api.login(liaison.email, 'a-new-long-password-for-tokens')).body.accessToken);
    expect((await relogged.get('/users/me/api-tokens')).body.items).toEqual([]);
  });
});
