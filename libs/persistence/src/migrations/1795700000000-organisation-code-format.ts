// Migration: organisation codes hold only A-Z, 0-9 and hyphens; codes stored before the rule are repaired, with an
// audit event each.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Codes name forces in file names (`Content-Disposition`) and URLs, so quotes, `;` or CR LF in one broke
 * the header (a 500). A code that breaks the rule is rewritten: capitals, each run of other characters a
 * hyphen, at most 40 characters; if that is taken (or empty), the first 8 hex digits of the id are added.
 * Each rewrite leaves an `organisation.code_repaired` audit event (actor: none). Then a CHECK holds the rule.
 */
export class OrganisationCodeFormat1795700000000 implements MigrationInterface {
  name = 'OrganisationCodeFormat1795700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      DECLARE
        o record;
        cleaned text;
      BEGIN
        FOR o IN SELECT id, code FROM organisations WHERE code !~ '^[A-Z0-9-]{1,40}$' ORDER BY created_at, id LOOP
          cleaned := left(regexp_replace(upper(o.code), '[^A-Z0-9-]+', '-', 'g'), 40);
          IF cleaned = '' OR cleaned = '-' OR EXISTS (SELECT 1 FROM organisations WHERE code = cleaned) THEN
            cleaned := left(trim(both '-' from cleaned), 31) || '-' || upper(left(replace(o.id::text, '-', ''), 8));
            cleaned := trim(leading '-' from cleaned);
          END IF;
          UPDATE organisations SET code = cleaned, version = version + 1, updated_at = now() WHERE id = o.id;
          INSERT INTO audit_events (at, actor_id, entity_type, entity_id, action, changes)
            VALUES (date_trunc('milliseconds', clock_timestamp()), NULL, 'organisation', o.id, 'organisation.code_repaired',
                    jsonb_build_object('code', jsonb_build_object('from', o.code, 'to', cleaned)));
        END LOOP;
      END $$`);
    await q.query(
      `ALTER TABLE organisations ADD CONSTRAINT ck_organisations_code_format CHECK (code ~ '^[A-Z0-9-]{1,40}$')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // The repaired codes stay as they are (the old ones broke headers); only the rule is lifted.
    await q.query(`ALTER TABLE organisations DROP CONSTRAINT ck_organisations_code_format`);
  }
}
