import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * One link of the append-only, hash-chained audit log. Insert only through `appendAuditEvent`
 * (a trigger refuses UPDATE, DELETE and TRUNCATE).
 */
@Entity({ name: 'audit_events' })
@Unique('uq_audit_events_id', ['id'])
@Index('ix_audit_events_entity_type_entity_id_seq', ['entityType', 'entityId', 'seq'])
export class AuditEventEntity {
  /** bigserial, as a decimal string (bigint does not fit a JS number safely). Defines the chain order. */
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

  @Column('text', { name: 'prev_hash' })
  prevHash: string;

  @Column('text')
  hash: string;
}
