// The middle layer for people, forces and policies: OrganisationsService, UsersService and PoliciesService on real
// PostgreSQL, built by hand (no HTTP): what each stores and audits, who is told after a change, and refusals that write
// nothing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role, type Actor } from '../../../libs/domain/src/index.js';
import { TEST_PASSWORD } from '../../support/api-harness.js';
import { refusal, serviceWorld, type ServiceWorld } from '../../support/service-world.js';

const NOW = new Date('2026-03-02T10:00:00Z');

describe('the people services on PostgreSQL', () => {
  let world: ServiceWorld;
  let admin: Actor;
  const audited = (entityId: string) =>
    world.count(`SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1`, [entityId]);

  beforeAll(async () => {
    world = await serviceWorld(NOW);
    admin = await world.person(Role.Admin, 'admin@people.test');
  });

  afterAll(async () => {
    await world?.db.cleanup();
  });

  it('stores a force under its code in capitals, audited; the same code again is a conflict that adds nothing', async () => {
    const force = await world.organisations.create(admin, { name: 'North Police', code: ' north-1 ' });
    expect(force.code).toBe('NORTH-1');
    expect(await audited(force.id)).toBe(1);
    const before = await world.count(`SELECT count(*)::int AS n FROM organisations`);
    expect(await refusal(world.organisations.create(admin, { name: 'Another', code: 'NORTH-1' }))).toBe('CONFLICT');
    expect(await refusal(world.organisations.create(admin, { name: 'Bad', code: 'north 1!' }))).toBe('INVALID_INPUT');
    expect(await world.count(`SELECT count(*)::int AS n FROM organisations`)).toBe(before);
  });

  it('creates a person who can sign in; a liaison with no force is refused and nothing is stored', async () => {
    const force = await world.force('PEOPLE-A');
    const liaison = await world.users.create(admin, {
      email: 'Liaison@People.test',
      name: 'Liaison',
      password: TEST_PASSWORD,
      role: Role.Liaison,
      organisationIds: [force],
    });
    expect([liaison.email, liaison.organisationIds]).toEqual(['liaison@people.test', [force]]);
    expect((await world.users.authenticate('liaison@people.test', TEST_PASSWORD)).id).toBe(liaison.id);
    expect(await refusal(world.users.authenticate('liaison@people.test', 'not-the-password'))).toBe('UNAUTHENTICATED');
    const people = await world.count(`SELECT count(*)::int AS n FROM users`);
    expect(
      await refusal(
        world.users.create(admin, {
          email: 'nobody@people.test',
          name: 'No force',
          password: TEST_PASSWORD,
          role: Role.Liaison,
          organisationIds: [],
        }),
      ),
    ).toBe('INVALID_INPUT');
    expect(await world.count(`SELECT count(*)::int AS n FROM users`)).toBe(people);
  });

  it('deactivating a liaison cancels the notices planned for them and ends their tokens; the last administrator stays', async () => {
    const force = await world.force('PEOPLE-B');
    const liaison = await world.users.create(admin, {
      email: 'leaving@people.test',
      name: 'Leaving',
      password: TEST_PASSWORD,
      role: Role.Liaison,
      organisationIds: [force],
    });
    const lead = await world.person(Role.Inspector, 'lead@people.test');
    await world.inspections.create(admin, {
      organisationId: force,
      title: 'People inspection',
      programme: 'NCPI',
      publishedAt: new Date('2026-03-01T00:00:00Z'),
      leadInspectorId: lead.id,
      recommendations: [{ reference: '1', text: 'Review custody' }],
    });
    const scheduledFor = (id: string) =>
      world.count(`SELECT count(*)::int AS n FROM notifications WHERE recipient_id = $1 AND status = 'scheduled'`, [
        id,
      ]);
    expect(await scheduledFor(liaison.id)).toBeGreaterThan(0);

    const gone = await world.users.update(admin, liaison.id, { version: liaison.version, active: false });
    expect(gone.active).toBe(false);
    expect(await scheduledFor(liaison.id)).toBe(0);
    expect(await world.users.findActor(liaison.id, 0)).toBeNull();
    const actions: { action: string }[] = await world.db.ds.query(
      `SELECT action FROM audit_events WHERE entity_id = $1 ORDER BY seq`,
      [liaison.id],
    );
    expect(actions.map((a) => a.action)).toContain('user.deactivated');

    const [{ version }] = await world.db.ds.query(`SELECT version FROM users WHERE id = $1`, [admin.id]);
    expect(await refusal(world.users.update(admin, admin.id, { version, active: false }))).toBe('CONFLICT');
    expect((await world.users.view(admin.id)).active).toBe(true);
  });

  it("gives a programme's inspections its own follow-up policy: the action plan due eight weeks after publication", async () => {
    const policy = await world.policies.create(admin, {
      programme: 'PEEL',
      actionPlanAfter: 'P8W',
      revisitAfter: 'P6M',
    });
    expect(await audited(policy.id)).toBe(1);
    expect(
      await refusal(world.policies.create(admin, { programme: 'PEEL', actionPlanAfter: 'P6W', revisitAfter: 'P6M' })),
    ).toBe('CONFLICT');
    const lead = await world.person(Role.Inspector, 'peel@people.test');
    const inspection = await world.inspections.create(admin, {
      organisationId: await world.force('PEOPLE-C'),
      title: 'PEEL 2026',
      programme: 'PEEL',
      publishedAt: new Date('2026-01-05T00:00:00Z'),
      leadInspectorId: lead.id,
      recommendations: [{ reference: '1', text: 'Improve supervision' }],
    });
    // Eight weeks of London winter time: no clock change between.
    expect([inspection.actionPlanDueAt, inspection.revisitDueAt]).toEqual([
      '2026-03-02T00:00:00.000Z',
      '2026-07-04T23:00:00.000Z',
    ]);
  });
});
