// The audit chain table: one row per chained event, written only by the sequencer.
import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/**
 * The audit chain: position n holds one event and HMAC(key, previous hash, n, event). Written only by the
 * sequencer, one batch at a time; insert only (trigger and privileges), so a position once given never moves.
 */
@Entity({ name: 'audit_chain' })
@Unique('uq_audit_chain_event_seq', ['eventSeq'])
@Check('ck_audit_chain_position', '"position" > 0')
export class AuditChainEntity {
  /** 1, 2, 3… without gaps: a missing position is a removed link. */
  @PrimaryColumn('bigint', { primaryKeyConstraintName: 'pk_audit_chain' })
  position: string;

  @Column('bigint', { name: 'event_seq' })
  eventSeq: string;

  @Column('text', { name: 'prev_hash' })
  prevHash: string;

  @Column('text')
  hash: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'sequenced_at', default: () => 'now()' })
  sequencedAt: Date;
}
