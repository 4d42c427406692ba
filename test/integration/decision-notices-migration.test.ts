// Migration DecisionNotices on real PostgreSQL: the ledger takes kind and deadline type `decision`, keeps kinds other
// migrations added, and goes back down.
import { afterEach, describe, expect, it } from '@jest/globals';
import { createDataSource, migrations } from '../../libs/persistence/src/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function migrated(): Promise<{ db: TestDatabase; ds: ReturnType<typeof createDataSource> }> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const ds = createDataSource(db.url, { poolSize: 2 });
  await ds.initialize();
  cleanups.push(async () => {
    if (ds.isInitialized) await ds.destroy();
  });
  return { db, ds };
}

const allowed = async (ds: ReturnType<typeof createDataSource>, constraint: string): Promise<string[]> => {
  const [{ def }] = await ds.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1`, [
    constraint,
  ]);
  return [...(def as string).matchAll(/'([a-z_]+)'/g)].map((m) => m[1]).sort();
};

describe('migration DecisionNotices1795800000000', () => {
  it("adds decision to the ledger's kinds and deadline types, keeping a kind another migration added first, and removes it on down", async () => {
    const { ds } = await migrated();
    const before = migrations.slice(
      0,
      migrations.findIndex((m) => m.name === 'DecisionNotices1795800000000'),
    );
    const runner = ds.createQueryRunner();
    try {
      for (const M of before) await new M().up(runner);
      // Another branch's migration, run earlier, added a kind of its own.
      await runner.query(`ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind`);
      await runner.query(
        `ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind CHECK (kind IN ('reminder', 'overdue', 'escalation', 'review_needed', 'overdue_summary', 'stale_nudge'))`,
      );
      const decision = migrations.find((m) => m.name === 'DecisionNotices1795800000000')!;
      await new decision().up(runner);
      expect(await allowed(ds, 'ck_notifications_kind')).toEqual([
        'decision',
        'escalation',
        'overdue',
        'overdue_summary',
        'reminder',
        'review_needed',
        'stale_nudge',
      ]);
      expect(await allowed(ds, 'ck_notifications_deadline_type')).toEqual([
        'action_plan',
        'closure_review',
        'decision',
        'due_date',
        'weekly_summary',
      ]);

      await new decision().down(runner);
      expect(await allowed(ds, 'ck_notifications_kind')).toEqual([
        'escalation',
        'overdue',
        'overdue_summary',
        'reminder',
        'review_needed',
        'stale_nudge',
      ]);
      expect(await allowed(ds, 'ck_notifications_deadline_type')).toEqual([
        'action_plan',
        'closure_review',
        'due_date',
        'weekly_summary',
      ]);
    } finally {
      await runner.release();
    }
  });
});
