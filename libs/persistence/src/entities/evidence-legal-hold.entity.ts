// The evidence_legal_holds table: an administrator's hold on an inspection, which stops retention deleting its files.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'evidence_legal_holds' })
export class EvidenceLegalHoldEntity {
  /** FK inspections ON DELETE CASCADE. */
  @PrimaryColumn('uuid', { name: 'inspection_id', primaryKeyConstraintName: 'pk_evidence_legal_holds' })
  inspectionId: string;

  @Column('text')
  reason: string;

  /** FK users. */
  @Column('uuid', { name: 'placed_by' })
  placedBy: string;

  @Column({ type: 'timestamptz', precision: 3, name: 'placed_at' })
  placedAt: Date;
}
