// Migration: escalation steps identified by their place on the ladder (step-N), not by the settings that timed them.
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalations are identified by their step on the ladder (`step-1`), no longer by the settings that timed
 * them (`P7D+1xP7D`), so that changing ESCALATE_AFTER/ESCALATE_EVERY cannot resend a step. Rows written
 * before are renamed in place; where two old rows name the same step (the settings changed once already),
 * the one that went out keeps the name and a scheduled twin is cancelled rather than sent twice.
 */
export class EscalationStepKeys1795520000000 implements MigrationInterface {
  name = 'EscalationStepKeys1795520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      WITH old AS (
        SELECT id, status, dedup_key, offset_key, 'step-' || (regexp_match(offset_key, '\\+(\\d+)x'))[1] AS new_offset
          FROM notifications
         WHERE kind = 'escalation' AND offset_key ~ '\\+\\d+x'
      ), renamed AS (
        SELECT id, status, new_offset,
               replace(dedup_key, '|escalation|' || offset_key || '|', '|escalation|' || new_offset || '|') AS new_key
          FROM old
      ), ranked AS (
        SELECT r.*, row_number() OVER (PARTITION BY new_key ORDER BY status = 'sent' DESC, status = 'sending' DESC, id) AS rank
          FROM renamed r
         WHERE NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedup_key = r.new_key)
      )
      UPDATE notifications n SET offset_key = k.new_offset, dedup_key = k.new_key
        FROM ranked k
       WHERE n.id = k.id AND k.rank = 1`);
    await q.query(`
      UPDATE notifications SET status = 'cancelled', updated_at = now(),
             last_error = 'cancelled: the same escalation step is already in the ledger'
       WHERE kind = 'escalation' AND offset_key ~ '\\+\\d+x' AND status = 'scheduled'`);
  }

  async down(): Promise<void> {
    // Data only: the settings that timed the old names are not recorded, and step names work for either code.
  }
}
