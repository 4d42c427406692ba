// Migration: the audit log without a global lock (transaction ids on events, the insert-only chain table).
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { legacyAuditHash, LEGACY_GENESIS_HASH } from '../audit/legacy-chain.js';

/**
 * The audit log without a global lock: writers only INSERT their event (stamped with their transaction
 * id); the sequencer chains events in `audit_chain` with a keyed hash. The legacy sha256 links of older
 * events stay where they are (nullable from now on): they are evidence, and down needs them.
 */
export class AuditSequencer1795480000000 implements MigrationInterface {
  name = 'AuditSequencer1795480000000';

  async up(q: QueryRunner): Promise<void> {
    // Existing events all get this migration's transaction id, so the sequencer chains them in seq order.
    await q.query(`ALTER TABLE audit_events ADD COLUMN tx bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL`);
    await q.query(`CREATE INDEX ix_audit_events_tx_seq ON audit_events (tx, seq)`);
    await q.query(`
      CREATE TABLE audit_chain (
        position      bigint      NOT NULL,
        event_seq     bigint      NOT NULL,
        prev_hash     text        NOT NULL,
        hash          text        NOT NULL,
        sequenced_at  timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_audit_chain PRIMARY KEY (position),
        CONSTRAINT uq_audit_chain_event_seq UNIQUE (event_seq),
        CONSTRAINT fk_audit_chain_event_seq FOREIGN KEY (event_seq) REFERENCES audit_events (seq),
        CONSTRAINT ck_audit_chain_position CHECK (position > 0)
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER trg_audit_chain_no_update_delete BEFORE UPDATE OR DELETE ON audit_chain
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`
      CREATE TRIGGER trg_audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  /**
   * Back to the global sha256 chain: events written since up get their legacy links, continuing from the
   * last legacy one. Filling them in is the one UPDATE of audit rows there is, done by the owner with
   * the append-only trigger off for this transaction only.
   */
  async down(q: QueryRunner): Promise<void> {
    const [last] = (await q.query(
      `SELECT hash FROM audit_events WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1`,
    )) as Array<{ hash: string }>;
    const missing = (await q.query(
      `SELECT seq::text AS seq, at, actor_id, entity_type, entity_id, action, from_status, to_status, comment, changes
         FROM audit_events WHERE hash IS NULL ORDER BY seq`,
    )) as Array<{
      seq: string;
      at: Date;
      actor_id: string | null;
      entity_type: string;
      entity_id: string;
      action: string;
      from_status: string | null;
      to_status: string | null;
      comment: string | null;
      changes: Record<string, unknown>;
    }>;
    if (missing.length > 0) {
      await q.query(`ALTER TABLE audit_events DISABLE TRIGGER trg_audit_events_no_update_delete`);
      let prev = last?.hash ?? LEGACY_GENESIS_HASH;
      for (const r of missing) {
        const hash = legacyAuditHash(prev, {
          seq: r.seq,
          at: r.at,
          actorId: r.actor_id,
          entityType: r.entity_type,
          entityId: r.entity_id,
          action: r.action,
          fromStatus: r.from_status,
          toStatus: r.to_status,
          comment: r.comment,
          changes: r.changes,
        });
        await q.query(`UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3`, [prev, hash, r.seq]);
        prev = hash;
      }
      await q.query(`ALTER TABLE audit_events ENABLE TRIGGER trg_audit_events_no_update_delete`);
    }
    await q.query(`DROP TABLE audit_chain`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`DROP INDEX ix_audit_events_tx_seq`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN tx`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL`);
  }
}
