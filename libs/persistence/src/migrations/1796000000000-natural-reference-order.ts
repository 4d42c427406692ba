// Migration: references sort as people count them (1, 2, … 10, 19): an ICU numeric collation on
// recommendations.reference.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reference` takes the collation `natural` (ICU `und-u-kn-true`: digit runs compare as numbers), so every
 * ORDER BY on it, and every index holding it, counts "2" before "10". The collation is deterministic, so
 * equality (the unique (inspection_id, reference)) is unchanged. The keyset indexes of the lists in creation
 * order and in deadline order gain the reference between the time and the id: rows made together (an inspection's) come
 * in
 * reference order, and paging stays on an index.
 */
export class NaturalReferenceOrder1796000000000 implements MigrationInterface {
  name = 'NaturalReferenceOrder1796000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE COLLATION IF NOT EXISTS "natural" (provider = icu, locale = 'und-u-kn-true')`);
    await q.query(`ALTER TABLE recommendations ALTER COLUMN reference TYPE text COLLATE "natural"`);
    await q.query(`DROP INDEX ix_recommendations_created_at_id`);
    await q.query(`DROP INDEX ix_recommendations_organisation_id_created_at_id`);
    await q.query(`DROP INDEX ix_recommendations_inspection_id_created_at_id`);
    await q.query(
      `CREATE INDEX ix_recommendations_created_at_reference_id ON recommendations (created_at, reference, id)`,
    );
    await q.query(
      `CREATE INDEX ix_recommendations_organisation_id_created_at_reference_id ON recommendations (organisation_id, created_at, reference, id)`,
    );
    await q.query(
      `CREATE INDEX ix_recommendations_inspection_id_created_at_reference_id ON recommendations (inspection_id, created_at, reference, id)`,
    );
    await q.query(`DROP INDEX ix_recommendations_next_deadline_at_id`);
    await q.query(`DROP INDEX ix_recommendations_organisation_id_next_deadline_at_id`);
    await q.query(
      `CREATE INDEX ix_recommendations_next_deadline_at_reference_id ON recommendations (next_deadline_at, reference, id) WHERE next_deadline_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_recommendations_org_next_deadline_at_reference_id ON recommendations (organisation_id, next_deadline_at, reference, id) WHERE next_deadline_at IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_recommendations_org_next_deadline_at_reference_id`);
    await q.query(`DROP INDEX ix_recommendations_next_deadline_at_reference_id`);
    await q.query(
      `CREATE INDEX ix_recommendations_next_deadline_at_id ON recommendations (next_deadline_at, id) WHERE next_deadline_at IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX ix_recommendations_organisation_id_next_deadline_at_id ON recommendations (organisation_id, next_deadline_at, id) WHERE next_deadline_at IS NOT NULL`,
    );
    await q.query(`DROP INDEX ix_recommendations_inspection_id_created_at_reference_id`);
    await q.query(`DROP INDEX ix_recommendations_organisation_id_created_at_reference_id`);
    await q.query(`DROP INDEX ix_recommendations_created_at_reference_id`);
    await q.query(
      `CREATE INDEX ix_recommendations_organisation_id_created_at_id ON recommendations (organisation_id, created_at, id)`,
    );
    await q.query(
      `CREATE INDEX ix_recommendations_inspection_id_created_at_id ON recommendations (inspection_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX ix_recommendations_created_at_id ON recommendations (created_at, id)`);
    await q.query(`ALTER TABLE recommendations ALTER COLUMN reference TYPE text COLLATE "default"`);
    await q.query(`DROP COLLATION IF EXISTS "natural"`);
  }
}
