// Administering people: PATCH /users/:id (deactivation, role, forces), sign-out, paged GET /users, and what health
// tells whom.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { Redis } from 'ioredis';
import { API_REDIS } from '../../apps/api/src/redis.provider.js';
import {
  TEST_PASSWORD,
  startApi,
  type RunningApi,
  type TestUser,
  type Organisation,
  type Schema,
  type ApiResponse,
} from '../support/api-harness.js';

describe('people', () => {
  let api: RunningApi;
  let forceA: Organisation;
  let forceB: Organisation;
  let db: pg.Client;

  beforeAll(async () => {
    api = await startApi();
    db = new pg.Client({ connectionString: api.dbUrl });
    await db.connect();
    [forceA, forceB] = await Promise.all([api.createOrganisation(), api.createOrganisation()]);
  });

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  /** The user's audit events, by action name (their order within a transaction is the audit log's business). */
  const auditOf = async (
    userId: string,
  ): Promise<{ action: string; changes: Record<string, unknown>; actor_id: string | null }[]> =>
    (
      await db.query(
        `SELECT action, changes, actor_id FROM audit_events WHERE entity_type = 'user' AND entity_id = $1 ORDER BY action`,
        [userId],
      )
    ).rows;
  const actionsOf = async (userId: string): Promise<string[]> => (await auditOf(userId)).map((e) => e.action);

  describe('PATCH /users/:id', () => {
    it('changes name, role and forces, answers the user view with active, and leaves one audit event per change', async () => {
      const user = await api.createUser('liaison', [forceA.id]);
      const response = await api.adminApi.patch(`/users/${user.id}`, {
        version: user.version,
        name: 'Renamed Person',
        role: 'manager',
        organisationIds: [forceB.id],
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: user.id,
        name: 'Renamed Person',
        role: 'manager',
        organisationIds: [forceB.id],
        active: true,
        version: user.version + 1,
      });
      expect(await actionsOf(user.id)).toEqual([
        'user.created',
        'user.organisations_changed',
        'user.renamed',
        'user.role_changed',
      ]);
      // The change applies to the next request of a token issued before it.
      const me = await user.api.get('/users/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: 'manager', organisationIds: [forceB.id] });
    });

    it('answers 409 to a stale version and changes nothing', async () => {
      const user = await api.createUser('manager');
      expect((await api.adminApi.patch(`/users/${user.id}`, { version: user.version, name: 'First' })).status).toBe(
        200,
      );
      const stale = await api.adminApi.patch(`/users/${user.id}`, { version: user.version, name: 'Second' });
      expect(stale.status).toBe(409);
      const list = await api.adminApi.get(`/users?limit=500`);
      expect(list.body.items.find((u: Schema<'UserResponse'>) => u.id === user.id)).toMatchObject({
        name: 'First',
        version: user.version + 1,
      });
    });

    it('answers 400 naming each bad field, and for a scope the role cannot have; nothing is written', async () => {
      const user = await api.createUser('liaison', [forceA.id]);
      const bad = await api.adminApi.patch(`/users/${user.id}`, {
        version: 'x',
        role: 'boss',
        active: 'no',
        organisationIds: ['x'],
        name: '',
        extra: 1,
      });
      expect(bad.status).toBe(400);
      for (const field of ['version', 'role', 'active', 'organisationIds', 'name', 'extra'])
        expect(JSON.stringify(bad.body.message)).toContain(field);
      const noForce = await api.adminApi.patch(`/users/${user.id}`, { version: user.version, organisationIds: [] });
      expect(noForce.status).toBe(400);
      expect(JSON.stringify(noForce.body.message)).toContain('organisationIds');
      const inspectorWithForce = await api.adminApi.patch(`/users/${user.id}`, {
        version: user.version,
        role: 'inspector',
      });
      expect(inspectorWithForce.status).toBe(400);
      expect(JSON.stringify(inspectorWithForce.body.message)).toContain('organisationIds');
      const unknownForce = await api.adminApi.patch(`/users/${user.id}`, {
        version: user.version,
        organisationIds: ['00000000-0000-4000-8000-000000000000'],
      });
      expect(unknownForce.status).toBe(400);
      expect(await actionsOf(user.id)).toEqual(['user.created']);
      expect(
        (await api.adminApi.patch(`/users/00000000-0000-4000-8000-000000000000`, { version: 1, name: 'Nobody' }))
          .status,
      ).toBe(404);
      expect((await api.adminApi.patch(`/users/not-a-uuid`, { version: 1, name: 'Nobody' })).status).toBe(400);
    });

    it('is for administrators only', async () => {
      const manager = await api.createUser('manager');
      const target = await api.createUser('liaison', [forceA.id]);
      expect((await manager.api.patch(`/users/${target.id}`, { version: target.version, active: false })).status).toBe(
        403,
      );
      expect(
        (await target.api.patch(`/users/${target.id}`, { version: target.version, role: 'admin', organisationIds: [] }))
          .status,
      ).toBe(403);
    });
  });

  describe('deactivation', () => {
    let person: TestUser;

    beforeAll(async () => {
      person = await api.createUser('liaison', [forceA.id]);
    });

    it('stops the person at once: their token is a 401, and signing in fails like a wrong password', async () => {
      expect((await person.api.get('/users/me')).status).toBe(200);
      const response = await api.adminApi.patch(`/users/${person.id}`, { version: person.version, active: false });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ active: false, version: person.version + 1 });
      expect((await person.api.get('/users/me')).status).toBe(401);
      expect((await person.api.get('/recommendations')).status).toBe(401);
      const login = await api.login(person.email, TEST_PASSWORD);
      const wrong = await api.login(person.email, 'wrong-password-123');
      expect(login.status).toBe(401);
      expect(login.body.message).toBe(wrong.body.message);
      expect((await auditOf(person.id)).filter((e) => e.action === 'user.deactivated')).toEqual([
        { action: 'user.deactivated', actor_id: api.admin.id, changes: { active: { from: true, to: false } } },
      ]);
    });

    it('reactivation lets them sign in again, but not with a token from before', async () => {
      const current = (await api.adminApi.get('/users?limit=500')).body.items.find(
        (u: Schema<'UserResponse'>) => u.id === person.id,
      );
      const response = await api.adminApi.patch(`/users/${person.id}`, { version: current.version, active: true });
      expect(response.status).toBe(200);
      expect(response.body.active).toBe(true);
      expect((await person.api.get('/users/me')).status).toBe(401);
      const login = await api.login(person.email, TEST_PASSWORD);
      expect(login.status).toBe(200);
      expect((await api.client(login.body.accessToken).get('/users/me')).status).toBe(200);
      expect(await actionsOf(person.id)).toEqual(['user.created', 'user.deactivated', 'user.reactivated']);
    });

    it('never leaves no active administrator: the last one cannot deactivate or demote themselves', async () => {
      const me = (await api.adminApi.get('/users/me')).body;
      const others = (
        await db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND active AND id <> $1`, [me.id])
      ).rows[0].n;
      expect(others).toBe(0);
      const deactivate = await api.adminApi.patch(`/users/${me.id}`, { version: me.version, active: false });
      expect(deactivate.status).toBe(409);
      expect(deactivate.body.message).toMatch(/last active administrator/);
      expect(
        (await api.adminApi.patch(`/users/${me.id}`, { version: me.version, role: 'manager', allOrganisations: true }))
          .status,
      ).toBe(409);
      expect((await api.adminApi.get('/users/me')).status).toBe(200);

      // With a second administrator, one may step down.
      const second = await api.createUser('admin');
      const stepDown = await second.api.patch(`/users/${second.id}`, {
        version: second.version,
        role: 'manager',
        allOrganisations: true,
      });
      expect(stepDown.status).toBe(200);
      expect(
        (await second.api.patch(`/users/${second.id}`, { version: stepDown.body.version, role: 'admin' })).status,
      ).toBe(403);
    });
  });

  describe('POST /auth/logout', () => {
    it('ends every token of the caller (204); signing in again works', async () => {
      const user = await api.createUser('inspector');
      const second = await api.login(user.email, TEST_PASSWORD);
      expect(second.status).toBe(200);
      expect((await user.api.post('/auth/logout')).status).toBe(204);
      expect((await user.api.get('/users/me')).status).toBe(401);
      expect((await api.client(second.body.accessToken).get('/users/me')).status).toBe(401);
      expect((await user.api.post('/auth/logout')).status).toBe(401);
      const again = await api.login(user.email, TEST_PASSWORD);
      expect((await api.client(again.body.accessToken).get('/users/me')).status).toBe(200);
      expect(await actionsOf(user.id)).toEqual(['user.created', 'user.signed_out']);
    });

    it('needs a token', async () => {
      expect((await api.client(null).post('/auth/logout')).status).toBe(401);
    });
  });

  describe('GET /users', () => {
    it('pages by limit and cursor, every user once, in email order', async () => {
      for (let i = 0; i < 5; i++) await api.createUser('manager');
      const all = await api.adminApi.get('/users?limit=500');
      expect(all.status).toBe(200);
      expect(all.body.nextCursor).toBeNull();
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: ApiResponse = await api.adminApi.get(`/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.body.items.map((u: Schema<'UserResponse'>) => u.email));
        cursor = page.body.nextCursor;
        pages += 1;
      } while (cursor);
      expect(seen).toEqual(all.body.items.map((u: Schema<'UserResponse'>) => u.email));
      expect(seen).toEqual([...seen].sort());
      expect(pages).toBe(Math.ceil(seen.length / 3));
      expect(all.body.items.every((u: Schema<'UserResponse'>) => typeof u.active === 'boolean')).toBe(true);
    });

    it('answers 400 to a bad limit or cursor', async () => {
      expect((await api.adminApi.get('/users?limit=0')).status).toBe(400);
      expect((await api.adminApi.get('/users?limit=501')).status).toBe(400);
      expect((await api.adminApi.get('/users?cursor=garbage')).status).toBe(400);
    });
  });

  describe('GET /health', () => {
    it('tells anyone only up or down; an administrator also gets the details', async () => {
      const anonymous = await api.client(null).get('/health');
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
      const manager = await api.createUser('manager');
      expect((await manager.api.get('/health')).body).toEqual(anonymous.body);
      expect((await api.client('garbage').get('/health')).body).toEqual(anonymous.body);
      const admin = await api.adminApi.get('/health');
      expect(admin.status).toBe(200);
      expect(admin.body).toMatchObject({
        status: 'ok',
        checks: { database: 'up', redis: 'up' },
        details: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('answers 503 when a backend is down, and keeps what the driver said for administrators', async () => {
      const redis = api.app.get<Redis>(API_REDIS);
      const ping = redis.ping.bind(redis);
      const driverMessage = 'connect ECONNREFUSED cache-7.internal.example:6379';
      redis.ping = (() => Promise.reject(new Error(driverMessage))) as typeof redis.ping;
      try {
        const anonymous = await api.client(null).get('/health');
        expect(anonymous.status).toBe(503);
        expect(anonymous.body).toEqual({ status: 'error', checks: { database: 'up', redis: 'down' } });
        const admin = await api.adminApi.get('/health');
        expect(admin.status).toBe(503);
        expect(admin.body.details.redis).toEqual({ status: 'down', message: driverMessage });
      } finally {
        redis.ping = ping;
      }
      expect((await api.client(null).get('/health')).status).toBe(200);
    });
  });
});
