// CHECK constraints that list the domain's values (notification kinds, deadline types): kept in step with the domain
// after the migrations run, so a new kind needs no migration of its own.
import type { QueryRunner } from 'typeorm';
import { ALL_DEADLINE_TYPES, ALL_NOTIFICATION_KINDS } from '#domain';

/** Each `column IN (...)` constraint the domain's lists decide, with its list (the entity declares the same). */
const LIST_CHECKS = [
  { table: 'notifications', constraint: 'ck_notifications_kind', column: 'kind', values: ALL_NOTIFICATION_KINDS },
  {
    table: 'notifications',
    constraint: 'ck_notifications_deadline_type',
    column: 'deadline_type',
    values: ALL_DEADLINE_TYPES,
  },
] as const;

/**
 * Rewrites each list constraint whose values differ from the domain's (none, on a schema already in step), in one
 * transaction, on the connection that holds the migration lock. A value the domain drops while rows still carry it
 * makes this fail, and the process stop: dropping a kind takes a migration that deals with its rows first.
 * Returns the constraints rewritten.
 */
export async function syncListChecks(q: QueryRunner): Promise<string[]> {
  const rewritten: string[] = [];
  await q.startTransaction();
  try {
    for (const check of LIST_CHECKS) {
      const rows = (await q.query(
        `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
          WHERE t.relname = $1 AND c.conname = $2`,
        [check.table, check.constraint],
      )) as Array<{ def: string }>;
      const current = new Set([...(rows[0]?.def ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]));
      const wanted: readonly string[] = check.values;
      if (rows.length > 0 && current.size === wanted.length && wanted.every((v) => current.has(v))) continue;
      await q.query(`ALTER TABLE ${check.table} DROP CONSTRAINT IF EXISTS ${check.constraint}`);
      await q.query(
        `ALTER TABLE ${check.table} ADD CONSTRAINT ${check.constraint} CHECK (${check.column} IN (${wanted.map((v) => `'${v}'`).join(', ')}))`,
      );
      rewritten.push(check.constraint);
    }
    await q.commitTransaction();
  } catch (err) {
    await q.rollbackTransaction();
    throw err;
  }
  return rewritten;
}
