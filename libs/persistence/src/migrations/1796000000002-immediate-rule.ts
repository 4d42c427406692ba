// Migration: each follow-up policy's rule for "immediately" recommendations: how long after publication they are due
// (default 28 days).
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ImmediateRule1796000000002 implements MigrationInterface {
  name = 'ImmediateRule1796000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE follow_up_policies ADD COLUMN immediate_after text NOT NULL DEFAULT 'P28D'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE follow_up_policies DROP COLUMN immediate_after`);
  }
}
