// "All forces" is an explicit choice: no forces never widens what a manager sees, through POST /users and PATCH
// /users/:id.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { TEST_PASSWORD, startApi, type RunningApi, type Organisation } from '../support/api-harness.js';

describe('a manager of every force is made so explicitly', () => {
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

  const unique = () => `m-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
  const seenBy = async (token: string): Promise<string[]> => {
    const answer = await api.client(token).get('/organisations?limit=500');
    expect(answer.status).toBe(200);
    return answer.body.items
      .map((o: Organisation) => o.id)
      .filter((id: string) => id === forceA.id || id === forceB.id)
      .sort();
  };
  const stored = async (id: string) =>
    (
      await db.query(
        `SELECT u.version, u.all_organisations, (SELECT count(*)::int FROM audit_events a WHERE a.entity_type = 'user' AND a.entity_id = u.id) AS events,
                coalesce(array_agg(uo.organisation_id ORDER BY uo.organisation_id) FILTER (WHERE uo.organisation_id IS NOT NULL), '{}') AS forces
           FROM users u LEFT JOIN user_organisations uo ON uo.user_id = u.id WHERE u.id = $1 GROUP BY u.id`,
        [id],
      )
    ).rows[0];

  it('POST /users refuses a manager with no forces and no choice of every force, naming the field; nothing is created', async () => {
    const email = unique();
    const refused = await api.adminApi.post('/users', {
      email,
      name: 'No Forces',
      password: TEST_PASSWORD,
      role: 'manager',
      organisationIds: [],
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toMatch(/organisationIds.*allOrganisations/);
    const both = await api.adminApi.post('/users', {
      email,
      name: 'Both',
      password: TEST_PASSWORD,
      role: 'manager',
      organisationIds: [forceA.id],
      allOrganisations: true,
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body.message)).toContain('organisationIds');
    const liaison = await api.adminApi.post('/users', {
      email,
      name: 'Liaison',
      password: TEST_PASSWORD,
      role: 'liaison',
      organisationIds: [forceA.id],
      allOrganisations: true,
    });
    expect(liaison.status).toBe(400);
    expect(JSON.stringify(liaison.body.message)).toContain('allOrganisations');
    const notBoolean = await api.adminApi.post('/users', {
      email,
      name: 'Bad',
      password: TEST_PASSWORD,
      role: 'manager',
      organisationIds: [],
      allOrganisations: 'yes',
    });
    expect(notBoolean.status).toBe(400);
    expect(JSON.stringify(notBoolean.body.message)).toContain('allOrganisations must be true or false');
    expect((await db.query(`SELECT count(*)::int AS n FROM users WHERE email = $1`, [email])).rows[0].n).toBe(0);
  });

  it('a manager of every force sees every force; a scoped manager only theirs', async () => {
    const all = await api.createUser('manager', [], { allOrganisations: true });
    const scoped = await api.createUser('manager', [forceA.id]);
    expect(all).toMatchObject({ organisationIds: [], allOrganisations: true });
    expect(scoped).toMatchObject({ organisationIds: [forceA.id], allOrganisations: false });
    expect(await seenBy(all.token)).toEqual([forceA.id, forceB.id].sort());
    expect(await seenBy(scoped.token)).toEqual([forceA.id]);
    expect((await all.api.get('/users/me')).body.allOrganisations).toBe(true);
  });

  it('PATCH /users/:id refuses removing a manager’s last force: an error naming the field, not a wider grant, and nothing changes', async () => {
    const scoped = await api.createUser('manager', [forceA.id]);
    const before = await stored(scoped.id);
    const refused = await api.adminApi.patch(`/users/${scoped.id}`, { version: scoped.version, organisationIds: [] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body.message)).toMatch(
      /organisationIds must name at least one organisation for a manager/,
    );
    expect(await stored(scoped.id)).toEqual(before);
    expect(await seenBy(scoped.token)).toEqual([forceA.id]);

    // A liaison made a manager keeps their forces; an administrator made a manager must be given a scope.
    const admin = await api.createUser('admin');
    const demoted = await api.adminApi.patch(`/users/${admin.id}`, { version: admin.version, role: 'manager' });
    expect(demoted.status).toBe(400);
    expect(JSON.stringify(demoted.body.message)).toContain('organisationIds');
    expect((await db.query(`SELECT role FROM users WHERE id = $1`, [admin.id])).rows[0].role).toBe('admin');
  });

  it('every force is chosen and unchosen explicitly, each time with an audit event, and applies at the next request', async () => {
    const manager = await api.createUser('manager', [forceA.id]);
    const widened = await api.adminApi.patch(`/users/${manager.id}`, {
      version: manager.version,
      allOrganisations: true,
    });
    expect(widened.status).toBe(200);
    expect(widened.body).toMatchObject({ organisationIds: [], allOrganisations: true, version: manager.version + 1 });
    expect(await seenBy(manager.token)).toEqual([forceA.id, forceB.id].sort());
    const narrowed = await api.adminApi.patch(`/users/${manager.id}`, {
      version: widened.body.version,
      organisationIds: [forceB.id],
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body).toMatchObject({ organisationIds: [forceB.id], allOrganisations: false });
    expect(await seenBy(manager.token)).toEqual([forceB.id]);
    const events = (
      await db.query(
        `SELECT changes FROM audit_events WHERE entity_id = $1 AND action = 'user.organisations_changed' ORDER BY seq`,
        [manager.id],
      )
    ).rows;
    expect(events.map((e) => e.changes.allOrganisations)).toEqual([
      { from: false, to: true },
      { from: true, to: false },
    ]);
    // Made a liaison, the choice does not travel with them.
    const liaison = await api.adminApi.patch(`/users/${manager.id}`, {
      version: narrowed.body.version,
      role: 'liaison',
    });
    expect(liaison.status).toBe(200);
    expect((await stored(manager.id)).all_organisations).toBe(false);
  });
});
