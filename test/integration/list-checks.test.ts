// The ledger's CHECK constraints on kind and deadline type follow the domain's lists after the migrations, on real
// PostgreSQL.
import { afterEach, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ALL_DEADLINE_TYPES, ALL_NOTIFICATION_KINDS } from '../../libs/domain/src/index.js';
import { runMigrationsSafely } from '../../libs/persistence/src/index.js';
import { migratedDataSource } from '../support/database.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function allowed(ds: DataSource, constraint: string): Promise<{ oid: number; values: string[] }> {
  const [row] = await ds.query<
    Array<{
      oid: number;
      def: string;
    }>
  >(`SELECT oid::int AS oid, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [constraint]);
  return { oid: row.oid, values: [...row.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]) };
}

describe('CHECK constraints that list the domain values', () => {
  it('list exactly the domain kinds and deadline types once migrated, and are left alone when in step', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    const kinds = await allowed(m.ds, 'ck_notifications_kind');
    expect([...kinds.values].sort()).toEqual([...ALL_NOTIFICATION_KINDS].sort());
    expect((await allowed(m.ds, 'ck_notifications_deadline_type')).values.sort()).toEqual(
      [...ALL_DEADLINE_TYPES].sort(),
    );

    expect(await runMigrationsSafely(m.ds)).toEqual([]);
    expect((await allowed(m.ds, 'ck_notifications_kind')).oid).toBe(kinds.oid);
  });

  it('gain a kind the domain lists and the database does not, with no migration of its own', async () => {
    const m = await migratedDataSource({ poolSize: 1 });
    cleanups.push(m.cleanup);
    await m.ds.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
    await m.ds.query(
      `ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN ('reminder', 'overdue'))`,
    );
    await m.ds.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_deadline_type`);
    await m.ds.query(
      `ALTER TABLE notifications ADD CONSTRAINT ck_notifications_deadline_type CHECK (deadline_type IN ('action_plan', 'due_date'))`,
    );

    expect(await runMigrationsSafely(m.ds)).toEqual([]);

    expect((await allowed(m.ds, 'ck_notifications_kind')).values).toEqual(ALL_NOTIFICATION_KINDS);
    expect((await allowed(m.ds, 'ck_notifications_deadline_type')).values).toEqual(ALL_DEADLINE_TYPES);
    // Still a CHECK: a kind the domain does not list is refused.
    await expect(
      m.ds.query(
        `INSERT INTO notifications (dedup_key, deadline_type, deadline_at, kind, offset_key, recipient_id, recipient_email, send_at, batch_key)
         VALUES ('k', 'due_date', now(), 'no_such_kind', 'P0D', gen_random_uuid(), 'a@x.test', now(), 'b')`,
      ),
    ).rejects.toThrow(/ck_notifications_kind/);
  });
});
