// The schema's constraints and the entity mapping on real PostgreSQL: what the database itself refuses, and what
// round-trips and cascades.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import {
  EvidenceEntity,
  InspectionEntity,
  NotificationEntity,
  OrganisationEntity,
  RecommendationEntity,
  UserEntity,
  UserOrganisationEntity,
} from '../../libs/persistence/src/index.js';
import { migratedDataSource, type MigratedDataSource } from '../support/database.js';

let m: MigratedDataSource;
let ds: DataSource;
let seq = 0;
const unique = (p: string) => `${p}-${++seq}`;

beforeAll(async () => {
  m = await migratedDataSource();
  ds = m.ds;
});
afterAll(async () => {
  await m?.cleanup();
});

/** The PostgreSQL error (SQLSTATE and constraint name) a promise rejected with. */
async function pgError(p: Promise<unknown>): Promise<{ code: string; constraint?: string }> {
  try {
    await p;
  } catch (err) {
    const driverError = (err as { driverError?: { code: string; constraint?: string } }).driverError;
    if (!driverError) throw err;
    return { code: driverError.code, constraint: driverError.constraint };
  }
  throw new Error('expected the database to refuse');
}

async function organisation(code = unique('ORG')): Promise<OrganisationEntity> {
  return ds.getRepository(OrganisationEntity).save({ name: `Force ${code}`, code });
}

async function user(role: UserEntity['role'] = 'inspector'): Promise<UserEntity> {
  return ds
    .getRepository(UserEntity)
    .save({ email: `${unique('user')}@example.org`, name: 'A Person', passwordHash: 'x', role });
}

async function inspection(): Promise<InspectionEntity> {
  const org = await organisation();
  const lead = await user();
  return ds.getRepository(InspectionEntity).save({
    organisationId: org.id,
    title: 'NCPI Merseyside',
    programme: 'NCPI',
    publishedAt: new Date('2018-08-30T00:00:00Z'),
    leadInspectorId: lead.id,
    actionPlanDueAt: new Date('2018-10-11T00:00:00Z'),
    revisitDueAt: new Date('2019-02-28T00:00:00Z'),
  });
}

function recommendationFor(i: InspectionEntity, reference: string): Partial<RecommendationEntity> {
  return {
    inspectionId: i.id,
    organisationId: i.organisationId,
    reference,
    text: 'Immediately review the management of registered sex offenders.',
    dueAt: i.revisitDueAt,
    actionPlanDueAt: i.actionPlanDueAt,
  };
}

describe('constraints', () => {
  it('refuses a second organisation with the same code', async () => {
    await organisation('MERSEY');
    expect(await pgError(organisation('MERSEY'))).toEqual({ code: '23505', constraint: 'uq_organisations_code' });
    expect(await ds.getRepository(OrganisationEntity).countBy({ code: 'MERSEY' })).toBe(1);
  });

  it('refuses a duplicate recommendation reference within one inspection, allows it in another', async () => {
    const a = await inspection();
    const b = await inspection();
    const repo = ds.getRepository(RecommendationEntity);
    await repo.save(recommendationFor(a, '1'));
    expect(await pgError(repo.save(recommendationFor(a, '1')))).toEqual({
      code: '23505',
      constraint: 'uq_recommendations_inspection_id_reference',
    });
    await expect(repo.save(recommendationFor(b, '1'))).resolves.toMatchObject({ reference: '1', inspectionId: b.id });
  });

  it('refuses values outside the allowed sets', async () => {
    const i = await inspection();
    const repo = ds.getRepository(RecommendationEntity);
    const bad = (patch: Record<string, unknown>) =>
      repo.save({ ...recommendationFor(i, unique('r')), ...patch } as RecommendationEntity);
    expect(await pgError(bad({ status: 'done' }))).toEqual({ code: '23514', constraint: 'ck_recommendations_status' });
    expect(await pgError(bad({ outcome: 'met' }))).toEqual({ code: '23514', constraint: 'ck_recommendations_outcome' });
    expect(await pgError(bad({ response: 'maybe' }))).toEqual({
      code: '23514',
      constraint: 'ck_recommendations_response',
    });
    expect(await pgError(bad({ rag: 'blue' }))).toEqual({ code: '23514', constraint: 'ck_recommendations_rag' });
    const users = ds.getRepository(UserEntity);
    expect(
      await pgError(users.save({ email: 'x@example.org', name: 'X', passwordHash: 'x', role: 'superuser' as 'admin' })),
    ).toEqual({
      code: '23514',
      constraint: 'ck_users_role',
    });
    expect(
      await pgError(users.save({ email: 'Mixed@Example.org', name: 'X', passwordHash: 'x', role: 'admin' })),
    ).toEqual({
      code: '23514',
      constraint: 'ck_users_email_lower',
    });
    // and the valid values are accepted
    await expect(
      bad({ status: 'closed', outcome: 'superseded', response: 'partly_agreed', rag: 'amber' }),
    ).resolves.toMatchObject({
      status: 'closed',
    });
  });

  it('refuses a duplicate notification dedup key and an unknown kind', async () => {
    const u = await user('liaison');
    const repo = ds.getRepository(NotificationEntity);
    const row = (patch: Partial<NotificationEntity> = {}): Partial<NotificationEntity> => ({
      dedupKey: 'rec:1|due_date|2026-01-01|reminder|P7D|user:1',
      deadlineType: 'due_date',
      deadlineAt: new Date('2026-01-01T00:00:00Z'),
      kind: 'reminder',
      offsetKey: 'P7D',
      recipientId: u.id,
      recipientEmail: u.email,
      sendAt: new Date('2025-12-25T00:00:00Z'),
      batchKey: `reminder|${u.id}|2025-12-25`,
      ...patch,
    });
    const saved = await repo.save(row());
    expect(saved).toMatchObject({ status: 'scheduled', attempts: 0 });
    expect(await pgError(repo.save(row()))).toEqual({ code: '23505', constraint: 'uq_notifications_dedup_key' });
    expect(await pgError(repo.save(row({ dedupKey: 'other', kind: 'shout' as 'reminder' })))).toEqual({
      code: '23514',
      constraint: 'ck_notifications_kind',
    });
  });
});

describe('entity mapping', () => {
  it('round-trips a recommendation: generated id, version, dates, a date-only target date', async () => {
    const i = await inspection();
    const repo = ds.getRepository(RecommendationEntity);
    const saved = await repo.save({ ...recommendationFor(i, 'R1'), targetDate: '2026-03-31', priority: true });
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(saved.version).toBe(1);

    const loaded = await repo.findOneByOrFail({ id: saved.id });
    expect(loaded).toMatchObject({
      status: 'issued',
      priority: true,
      targetDate: '2026-03-31',
      dueAt: i.revisitDueAt,
      outcome: null,
      nextDeadlineAt: null,
    });
    expect(loaded.createdAt).toBeInstanceOf(Date);

    loaded.rag = 'green';
    const updated = await repo.save(loaded);
    expect(updated.version).toBe(2);
    const raw = await ds.query<unknown[]>(
      `SELECT version, rag, target_date::text AS t FROM recommendations WHERE id = $1`,
      [saved.id],
    );
    expect(raw).toEqual([{ version: 2, rag: 'green', t: '2026-03-31' }]);
  });

  it('cascades deletes: inspection → recommendations → evidence and notifications; user → memberships', async () => {
    const i = await inspection();
    const liaison = await user('liaison');
    await ds.getRepository(UserOrganisationEntity).save({ userId: liaison.id, organisationId: i.organisationId });
    const rec = await ds.getRepository(RecommendationEntity).save(recommendationFor(i, 'C1'));
    await ds
      .getRepository(EvidenceEntity)
      .save({ recommendationId: rec.id, title: 'Audit of RSO visits', submittedBy: liaison.id });
    await ds.getRepository(NotificationEntity).save({
      dedupKey: unique('k'),
      recommendationId: rec.id,
      deadlineType: 'due_date',
      deadlineAt: rec.dueAt,
      kind: 'overdue',
      offsetKey: 'P0D',
      recipientId: liaison.id,
      recipientEmail: liaison.email,
      sendAt: rec.dueAt,
      batchKey: 'b',
    });

    await ds.getRepository(InspectionEntity).delete({ id: i.id });
    expect(await ds.getRepository(RecommendationEntity).countBy({ inspectionId: i.id })).toBe(0);
    expect(await ds.getRepository(EvidenceEntity).countBy({ recommendationId: rec.id })).toBe(0);
    expect(await ds.getRepository(NotificationEntity).countBy({ recommendationId: rec.id })).toBe(0);

    expect(await ds.getRepository(UserOrganisationEntity).countBy({ userId: liaison.id })).toBe(1);
    await ds.getRepository(UserEntity).delete({ id: liaison.id });
    expect(await ds.getRepository(UserOrganisationEntity).countBy({ userId: liaison.id })).toBe(0);
  });

  it('refuses to delete an organisation that still has inspections', async () => {
    const i = await inspection();
    expect(await pgError(ds.getRepository(OrganisationEntity).delete({ id: i.organisationId }))).toEqual({
      code: '23503',
      constraint: 'fk_inspections_organisation_id',
    });
  });
});
