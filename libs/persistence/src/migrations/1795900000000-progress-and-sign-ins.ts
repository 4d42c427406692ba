// Migration: when each recommendation last made progress, people's sign-in times, and the "no recent progress" notice.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds a value to a `col IN (...)` CHECK constraint, whatever values it already lists (so that another
 * migration adding its own kind, in either order, keeps both).
 */
export async function extendInCheck(
  q: QueryRunner,
  table: string,
  constraint: string,
  column: string,
  value: string,
): Promise<void> {
  const rows = (await q.query(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE t.relname = $1 AND c.conname = $2`,
    [table, constraint],
  )) as Array<{ def: string }>;
  const values = new Set([...(rows[0]?.def ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]));
  values.add(value);
  const list = [...values].map((v) => `'${v}'`).join(', ');
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`);
  await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${column} IN (${list}))`);
}

export async function dropFromInCheck(
  q: QueryRunner,
  table: string,
  constraint: string,
  column: string,
  value: string,
): Promise<void> {
  await q.query(`DELETE FROM ${table} WHERE ${column} = $1`, [value]);
  const rows = (await q.query(
    `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = $1 AND c.conname = $2`,
    [table, constraint],
  )) as Array<{ def: string }>;
  const values = [...(rows[0]?.def ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]).filter((v) => v !== value);
  await q.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${constraint}`);
  await q.query(
    `ALTER TABLE ${table} ADD CONSTRAINT ${constraint} CHECK (${column} IN (${values.map((v) => `'${v}'`).join(', ')}))`,
  );
}

/**
 * `recommendations.progress_at`: when the force last acted on a planned recommendation (any workflow step
 * that left it planned), from which "no recent progress" is measured; backfilled from the audit log.
 * `users.last_sign_in_at` and `previous_sign_in_at`: "what changed since your last visit" reads the second.
 * Notification kind `stale` about deadline type `no_progress`.
 */
export class ProgressAndSignIns1795900000000 implements MigrationInterface {
  name = 'ProgressAndSignIns1795900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recommendations ADD COLUMN progress_at timestamptz(3)`);
    await q.query(`
      UPDATE recommendations r SET progress_at = coalesce(
        (SELECT max(a.at) FROM audit_events a
          WHERE a.entity_type = 'recommendation' AND a.entity_id = r.id AND a.to_status = 'planned'),
        r.updated_at)
       WHERE r.status = 'planned'`);
    await q.query(
      `CREATE INDEX ix_recommendations_progress_at_planned ON recommendations (progress_at) WHERE status = 'planned'`,
    );
    await q.query(
      `ALTER TABLE users ADD COLUMN last_sign_in_at timestamptz(3), ADD COLUMN previous_sign_in_at timestamptz(3)`,
    );
    await q.query(`CREATE INDEX ix_audit_events_at ON audit_events (at)`);
    await extendInCheck(q, 'notifications', 'ck_notifications_kind', 'kind', 'stale');
    await extendInCheck(q, 'notifications', 'ck_notifications_deadline_type', 'deadline_type', 'no_progress');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropFromInCheck(q, 'notifications', 'ck_notifications_kind', 'kind', 'stale');
    await dropFromInCheck(q, 'notifications', 'ck_notifications_deadline_type', 'deadline_type', 'no_progress');
    await q.query(`DROP INDEX ix_audit_events_at`);
    await q.query(`ALTER TABLE users DROP COLUMN previous_sign_in_at, DROP COLUMN last_sign_in_at`);
    await q.query(`DROP INDEX ix_recommendations_progress_at_planned`);
    await q.query(`ALTER TABLE recommendations DROP COLUMN progress_at`);
  }
}
