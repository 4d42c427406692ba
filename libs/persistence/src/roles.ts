// What the application's own database role may do, granted by the schema owner after migrations.
import type { DataSource } from 'typeorm';
import { MIGRATION_LOCK_KEY } from './data-source.js';

/** Tables whose rows, once written, nobody in the application may change or remove. */
export const INSERT_ONLY_TABLES = ['audit_events', 'audit_chain'] as const;

/** A role name as an SQL identifier. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Lets `role` (the login of DATABASE_URL, when it is not the owner of DATABASE_MIGRATION_URL) read and
 * write the application's tables, but only INSERT and SELECT the audit tables, and neither TRUNCATE
 * anything nor touch the migrations table. Run as the owner after every migration run: idempotent, and
 * it covers tables a new migration added.
 */
export async function grantApplicationRole(owner: DataSource, role: string): Promise<void> {
  const r = quoteIdentifier(role);
  const audit = INSERT_ONLY_TABLES.join(', ');
  await owner.transaction(async (m) => {
    // Concurrent GRANTs on one table fail ("tuple concurrently updated"): processes starting together take turns.
    await m.query(`SELECT pg_advisory_xact_lock($1)`, [MIGRATION_LOCK_KEY.toString()]);
    await m.query(`GRANT USAGE ON SCHEMA public TO ${r}`);
    await m.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`);
    await m.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`);
    await m.query(`REVOKE INSERT, UPDATE, DELETE ON migrations FROM ${r}`);
    await m.query(`REVOKE UPDATE, DELETE ON ${audit} FROM ${r}`);
    await m.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`);
  });
}
