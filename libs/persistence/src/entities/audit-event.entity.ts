// The audit events table: one insert-only row per change, chained later by the sequencer.
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One audit event, written with the change it records by `appendAuditEvent` (insert only: a trigger and
 * the application role's privileges refuse UPDATE, DELETE and TRUNCATE). Its place in the keyed hash
 * chain is given later by the sequencer, in `audit_chain`.
 */
@Entity({ name: 'audit_events' })
@Unique('uq_audit_events_id', ['id'])
@Index('ix_audit_events_entity_type_entity_id_seq', ['entityType', 'entityId', 'seq'])
@Index('ix_audit_events_tx_seq', ['tx', 'seq'])
// "What changed since your last visit" reads the events after a moment.
@Index('ix_audit_events_at', ['at'])
export class AuditEventEntity {
  /** bigserial, as a decimal string (bigint does not fit a JS number safely): insertion order, not commit order. */
  @PrimaryColumn('bigint', { primaryKeyConstraintName: 'pk_audit_events' })
  seq: string;

  @Column('uuid', { default: () => 'gen_random_uuid()' })
  id: string;

  /** Millisecond precision (truncated on append so that the hash recomputes after a round trip). */
  @Column({ type: 'timestamptz', precision: 3 })
  at: Date;

  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  /** e.g. `recommendation`, `inspection`, `user`. */
  @Column('text', { name: 'entity_type' })
  entityType: string;

  @Column('uuid', { name: 'entity_id' })
  entityId: string;

  @Column('text')
  action: string;

  @Column('text', { name: 'from_status', nullable: true })
  fromStatus: string | null;

  @Column('text', { name: 'to_status', nullable: true })
  toStatus: string | null;

  @Column('text', { nullable: true })
  comment: string | null;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  changes: Record<string, unknown>;

  /**
   * The inserting transaction's id (`pg_current_xact_id()`): the sequencer takes an event only once every
   * transaction with a smaller id has ended, so no event can commit behind the chain's head.
   */
  @Column({ type: 'bigint', default: () => 'pg_current_xact_id()::text::bigint', select: false, insert: false })
  tx: string;

  /** Links of the unkeyed sha256 chain of the global-lock design, kept as they were; null for later events. */
  @Column('text', { name: 'prev_hash', nullable: true, select: false })
  legacyPrevHash: string | null;

  @Column('text', { name: 'hash', nullable: true, select: false })
  legacyHash: string | null;
}
