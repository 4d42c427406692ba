// runInTransaction and Storage on real PostgreSQL: deadlocks and serialization failures retried, constraint errors
// become domain errors, locks only in a transaction.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode } from '../../libs/domain/src/index.js';
import { OrganisationEntity, Storage, runInTransaction } from '../../libs/persistence/src/index.js';
import { migratedDataSource, type MigratedDataSource } from '../support/database.js';

let m: MigratedDataSource;
let ds: DataSource;

beforeAll(async () => {
  m = await migratedDataSource({ poolSize: 6 });
  ds = m.ds;
});
afterAll(async () => {
  await m?.cleanup();
});

/** Resolves once `count` parties have arrived: both transactions hold their first lock before taking the second. */
function barrier(count: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  return async () => {
    arrived += 1;
    if (arrived === count) release();
    await open;
  };
}

async function twoOrganisations(): Promise<[string, string]> {
  const suffix = Math.random().toString(36).slice(2, 8).toUpperCase();
  const [a, b] = await ds.getRepository(OrganisationEntity).save([
    { name: `A ${suffix}`, code: `A-${suffix}` },
    { name: `B ${suffix}`, code: `B-${suffix}` },
  ]);
  return [a.id, b.id];
}

/** Locks `first` then `second`; the first run of each waits at the barrier so that the two deadlock. */
function lockInOrder(first: string, second: string, meet: () => Promise<void>, runs: { count: number }) {
  return async (manager: EntityManager): Promise<string> => {
    runs.count += 1;
    await manager.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [first]);
    if (runs.count === 1) await meet();
    await manager.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [second]);
    await manager.query(`UPDATE organisations SET name = name || '.' WHERE id = ANY($1::uuid[])`, [[first, second]]);
    return first;
  };
}

describe('runInTransaction', () => {
  it('runs again a transaction that PostgreSQL aborted for a deadlock, so both writers succeed', async () => {
    const [a, b] = await twoOrganisations();
    const meet = barrier(2);
    const runsA = { count: 0 };
    const runsB = { count: 0 };
    const results = await Promise.all([
      runInTransaction(ds, lockInOrder(a, b, meet, runsA)),
      runInTransaction(ds, lockInOrder(b, a, meet, runsB)),
    ]);
    expect(results).toEqual([a, b]);
    // Exactly one of them was the deadlock victim and ran twice.
    expect([runsA.count, runsB.count].sort()).toEqual([1, 2]);
    const names = await ds.getRepository(OrganisationEntity).findBy([{ id: a }, { id: b }]);
    expect(names.map((o) => o.name.endsWith('..'))).toEqual([true, true]);
  });

  it('gives up after its attempts with a Conflict, not the driver error', async () => {
    const [a, b] = await twoOrganisations();
    const meet = barrier(2);
    const outcomes = await Promise.allSettled([
      runInTransaction(ds, lockInOrder(a, b, meet, { count: 0 }), { attempts: 1 }),
      runInTransaction(ds, lockInOrder(b, a, meet, { count: 0 }), { attempts: 1 }),
    ]);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toBeInstanceOf(DomainError);
    expect((failed[0].reason as DomainError).code).toBe(DomainErrorCode.Conflict);
  });

  it('retries a serialization failure', async () => {
    const [a] = await twoOrganisations();
    const meet = barrier(2);
    const runs = { count: 0 };
    // Two serializable read-modify-writes of one row: one of them is aborted with 40001 and retried.
    const increment = (manager: EntityManager) => async () => {
      runs.count += 1;
      await manager.query('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
      const [row] = await manager.query('SELECT version FROM organisations WHERE id = $1', [a]);
      if (runs.count <= 2) await meet();
      await manager.query('UPDATE organisations SET version = $2 WHERE id = $1', [a, row.version + 1]);
    };
    const before = (await ds.getRepository(OrganisationEntity).findOneByOrFail({ id: a })).version;
    await Promise.all([
      runInTransaction(ds, (manager) => increment(manager)()),
      runInTransaction(ds, (manager) => increment(manager)()),
    ]);
    expect(runs.count).toBe(3);
    expect((await ds.getRepository(OrganisationEntity).findOneByOrFail({ id: a })).version).toBe(before + 2);
  });

  it('turns a unique violation into a Conflict naming the field, and a missing reference into InvalidInput naming it', async () => {
    const [a] = await twoOrganisations();
    const code = (await ds.getRepository(OrganisationEntity).findOneByOrFail({ id: a })).code;
    const duplicate = runInTransaction(ds, (manager) => manager.insert(OrganisationEntity, { name: 'Copy', code }));
    await expect(duplicate).rejects.toMatchObject({
      code: DomainErrorCode.Conflict,
      message: 'code is already in use',
    });
    const dangling = runInTransaction(ds, (manager) =>
      manager.query(`INSERT INTO user_organisations (user_id, organisation_id) VALUES (gen_random_uuid(), $1)`, [a]),
    );
    await expect(dangling).rejects.toMatchObject({
      code: DomainErrorCode.InvalidInput,
      details: ['userId does not name an existing record'],
    });
  });
});

describe('Storage: the same repositories on the pool and in a transaction', () => {
  it('refuses a raw row lock on the pool, where autocommit would release it at once, and takes it in a transaction', async () => {
    const storage = new Storage(ds);
    await expect(storage.pool.users.lockActiveAdmins()).rejects.toThrow(
      'lockActiveAdmins must run inside a transaction',
    );
    await expect(storage.transaction((tx) => tx.users.lockActiveAdmins())).resolves.toEqual(expect.any(Array));
  });

  it('refuses an audit event on the pool: it must commit with the change it records', async () => {
    const storage = new Storage(ds);
    const event = {
      actorId: null,
      entityType: 'organisation',
      entityId: '00000000-0000-4000-8000-000000000009',
      action: 'organisation.created',
    } as const;
    await expect(storage.pool.audit.record(new Date(), event)).rejects.toThrow(
      'appendAuditEvent must run inside a transaction',
    );
  });
});
