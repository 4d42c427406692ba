// Migration: the ledger takes decision notices (kind `decision`, deadline type `decision`), added to whatever kinds the
// check lists.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Widens a `column IN (...)` check constraint by `value`, keeping every value it already lists: other
 * migrations add kinds of their own, and whichever runs last must not drop the others'.
 */
function widenCheck(constraint: string, column: string, value: string): string {
  return `
    DO $$
    DECLARE allowed text;
    BEGIN
      SELECT string_agg(quote_literal(v), ', ' ORDER BY v) INTO allowed FROM (
        SELECT (regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g'))[1] AS v
          FROM pg_constraint c WHERE c.conname = '${constraint}' AND c.conrelid = 'notifications'::regclass
        UNION SELECT '${value}') vs;
      ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ${constraint};
      EXECUTE format('ALTER TABLE notifications ADD CONSTRAINT ${constraint} CHECK (${column} IN (%s))', allowed);
    END $$`;
}

/** The same, narrowing: `value` leaves the list (its rows must be gone first). */
function narrowCheck(constraint: string, column: string, value: string): string {
  return `
    DO $$
    DECLARE allowed text;
    BEGIN
      SELECT string_agg(quote_literal(v), ', ' ORDER BY v) INTO allowed FROM (
        SELECT (regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g'))[1] AS v
          FROM pg_constraint c WHERE c.conname = '${constraint}' AND c.conrelid = 'notifications'::regclass) vs
       WHERE v <> '${value}';
      ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ${constraint};
      EXECUTE format('ALTER TABLE notifications ADD CONSTRAINT ${constraint} CHECK (${column} IN (%s))', allowed);
    END $$`;
}

export class DecisionNotices1795800000000 implements MigrationInterface {
  name = 'DecisionNotices1795800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(widenCheck('ck_notifications_kind', 'kind', 'decision'));
    await q.query(widenCheck('ck_notifications_deadline_type', 'deadline_type', 'decision'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notifications WHERE kind = 'decision' OR deadline_type = 'decision'`);
    await q.query(narrowCheck('ck_notifications_kind', 'kind', 'decision'));
    await q.query(narrowCheck('ck_notifications_deadline_type', 'deadline_type', 'decision'));
  }
}
