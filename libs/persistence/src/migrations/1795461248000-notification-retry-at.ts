// Migration: retry_at on the ledger, so a refused notice waits in its row rather than in a job's backoff.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transiently failed notice waits in the ledger until `retry_at` rather than in a job's backoff: one
 * dispatch job now sends many batches, and one recipient's 4xx must not hold the others back.
 */
export class NotificationRetryAt1795461248000 implements MigrationInterface {
  name = 'NotificationRetryAt1795461248000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ADD COLUMN retry_at timestamptz(3) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP COLUMN retry_at`);
  }
}
