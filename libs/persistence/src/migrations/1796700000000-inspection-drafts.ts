// Migration: an inspection's explicit draft state (an imported inspection waits, unseen by forces, until it is
// published).
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `inspections.draft`: true while an inspection waits to be published (seen only by inspectorate staff,
 * nothing planned or sent); every existing row is published, so nothing changes for it. Its recommendations
 * carry the same flag (`recommendations.draft`, set and cleared with the inspection's in one transaction), so
 * that every list of recommendations leaves drafts out with a condition on its own row, not a join.
 */
export class InspectionDrafts1796700000000 implements MigrationInterface {
  name = 'InspectionDrafts1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE inspections ADD COLUMN draft boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE recommendations ADD COLUMN draft boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE recommendations DROP COLUMN draft`);
    await q.query(`ALTER TABLE inspections DROP COLUMN draft`);
  }
}
